// The paced load of `runPacedLoad` (operations.ts), in a process of its own: requests sent at
// an even pace — one every 1/rate s over up to `connections` kept-alive sockets — for
// BENCHMARKS.md's "p99 at 50 % of max throughput". autocannon's own rate option is not that:
// each connection sends its quota for the second as fast as it can, then waits for the next
// second, so the p99 it gives at "half load" is the p99 of a burst at full load. Latency runs
// from when a request was due, not when a socket was free, so a queue in front of the server
// counts (no coordinated omission). Plain sockets and a minimal HTTP/1.1 reader, as autocannon
// has, keep the generator's own CPU (which shares the machine) small.
// Usage: node --import tsx bench/paced-load.ts <spec.json>; prints one JSON line (LoadResult).
import fs from 'node:fs';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readServerMetrics } from './gc-metrics.js';
import type { LoadResult } from './operations.js';
import { percentile } from './percentile.js';

export interface PacedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface PacedSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  rate: number;
  /**
   * Paced load at the same rate before the measured run, its latencies not counted: the
   * generator's own start-up (its code not yet compiled, its HTTP client not yet loaded).
   */
  warmUpSeconds?: number;
  /** Sent in this order, round and round. */
  requests: PacedRequest[];
}

interface PacedSocket {
  send(request: Buffer, dueAt: number): void;
  close(): void;
}

async function runPaced(spec: PacedSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const encoded = spec.requests.map((request) => {
    const headers = { host: target.host, connection: 'keep-alive', ...request.headers, ...(request.body ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}) };
    return Buffer.from(`${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${request.body}`);
  });
  let sent = 0;
  const next = () => encoded[sent++ % encoded.length];
  const latencies: number[] = [];
  let failed = 0;
  const due: number[] = [];
  const idle: PacedSocket[] = [];
  const sockets = await Promise.all(Array.from({ length: spec.connections }, () => openPacedSocket(target, (status, dueAt, socket) => {
    latencies.push(performance.now() - dueAt);
    if (status < 200 || status >= 300) failed++;
    const nextDue = due.shift();
    if (nextDue === undefined) idle.push(socket);
    else socket.send(next(), nextDue);
  })));
  idle.push(...sockets);
  /** Requests every 1/rate s for `seconds`, resolved once each has its answer (or 10 s after the last is due). */
  const pace = (seconds: number) => new Promise<void>((resolve) => {
    const total = Math.max(1, Math.round(spec.rate * seconds));
    const answeredBefore = latencies.length;
    const startedAt = performance.now();
    let scheduled = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      for (; scheduled < total && startedAt + (scheduled * 1000) / spec.rate <= now; scheduled++) {
        const dueAt = startedAt + (scheduled * 1000) / spec.rate;
        const socket = idle.pop();
        if (socket) socket.send(next(), dueAt);
        else due.push(dueAt);
      }
      const answered = latencies.length - answeredBefore;
      if (scheduled >= total && answered >= total) { clearInterval(timer); resolve(); }
      if (now - startedAt > (seconds + 10) * 1000) { clearInterval(timer); failed += total - answered; resolve(); }
    }, 1);
  });
  // The warm-up: the first read of /metrics loads the generator's HTTP client, and the first
  // second of a fresh generator answers slowly while its own code is compiled. Counted, the two
  // put 10-50 ms answers into the first 0.1-0.6 s of every run (at 6,000 gets/s), whatever the
  // server's own pauses: they were most of every half-load p99 until 2026-12-07.
  await readServerMetrics(spec.url);
  if (spec.warmUpSeconds) {
    await pace(spec.warmUpSeconds);
    latencies.length = 0;
    failed = 0;
  }
  // Read last of all before the load: prom-client restarts the longest event-loop pause at each read.
  const serverBefore = await readServerMetrics(spec.url);
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  stalls.enable();
  const startedAt = performance.now();
  await pace(spec.durationSeconds);
  stalls.disable();
  const serverAfter = await readServerMetrics(spec.url);
  for (const socket of sockets) socket.close();
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: (latencies.length - failed) / ((performance.now() - startedAt) / 1000),
    p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), requests: latencies.length, failed,
    generatorStallMaxMs: stalls.max / 1e6, serverBefore, serverAfter,
  };
}

/** One kept-alive connection, one request at a time; reads responses framed by Content-Length. */
function openPacedSocket(target: URL, onResponse: (status: number, dueAt: number, socket: PacedSocket) => void): Promise<PacedSocket> {
  return new Promise((resolve, reject) => {
    const connection = net.connect(Number(target.port), target.hostname);
    let buffered: Buffer = Buffer.alloc(0);
    let dueAt = 0;
    const socket: PacedSocket = {
      send(request, at) { dueAt = at; connection.write(request); },
      close() { connection.destroy(); },
    };
    connection.setNoDelay(true);
    connection.on('data', (chunk: Buffer) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      const headerEnd = buffered.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = buffered.subarray(0, headerEnd).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < headerEnd + 4 + length) return;
      buffered = buffered.subarray(headerEnd + 4 + length);
      onResponse(Number(head.slice(9, 12)), dueAt, socket);
    });
    connection.once('connect', () => resolve(socket));
    connection.once('error', reject);
  });
}

const [specFile] = process.argv.slice(2);
if (specFile) console.log(JSON.stringify(await runPaced(JSON.parse(fs.readFileSync(specFile, 'utf8')) as PacedSpec)));
