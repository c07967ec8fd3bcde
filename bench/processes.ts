// Child processes the benchmark starts: commands that run to completion (migrate, psql,
// pgbench) and servers that run until stopped. Every wait is bounded in time.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

// The bench's servers share one master key (docs/security.md, field encryption); a fixed
// one, since bench data is synthetic and thrown away.
export const benchMasterKey = Buffer.alloc(32, 7).toString('base64');

export interface CommandResult {
  stdout: string;
  stderr: string;
  milliseconds: number;
}

export function runCommand(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CommandResult> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr, milliseconds: performance.now() - startedAt });
      else reject(new Error(`${command} ${args.slice(0, 3).join(' ')} … exited with ${code ?? signal}: ${stderr.slice(-2000) || stdout.slice(-2000)}`));
    });
  });
}

/** Compiles the server to dist/ (`npm run build:server`), the form the server shape runs in. */
export async function buildServer(): Promise<void> {
  await runCommand(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:server'], { timeoutMs: 300_000 });
}

/** Streams a command's stdout and counts its bytes without keeping them (for dumps). */
export function countOutputBytes(command: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 600_000): Promise<{ bytes: number; milliseconds: number }> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ bytes, milliseconds: performance.now() - startedAt });
      else reject(new Error(`${command} exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

export function isCommandAvailable(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((directory) => fs.existsSync(`${directory}/${command}`));
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts a server process and waits until `readyPath` answers 200 (bounded by timeoutMs). */
export async function startServer(args: string[], env: NodeJS.ProcessEnv, port: number, readyPath: string, timeoutMs = 60_000): Promise<RunningServer> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
  child.stderr?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopProcess(child);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output}`);
    const ready = await fetch(url + readyPath).then((response) => response.ok, () => false);
    if (ready) return { child, url, output: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`server did not answer ${readyPath} within ${timeoutMs} ms: ${output}`);
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/** Resident memory of a process in MB: current (VmRSS) and the peak since it started (VmHWM). */
export function readMemory(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
    return { rssMb: field('VmRSS'), peakMb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** A port nothing listens on right now (the OS picks it). */
export async function findFreePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
