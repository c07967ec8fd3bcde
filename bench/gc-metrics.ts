// The API server's own account of its pauses, read from its /metrics before and after each
// half-load run: the count of its major garbage collections (prom-client's default
// `nodejs_gc_duration_seconds`, kind="major") and the longest delay of its event loop
// (`nodejs_eventloop_lag_max_seconds`, which prom-client resets at every read, so the read after
// a run gives that run's; it samples every 10 ms and reports the longest gap between samples,
// so an event loop that never stood still reads ~10 ms). Paced, every request due during a
// pause waits, so these say whether a run's p99 came from the server standing still, beside
// the generator's own stalls.
export interface MajorCollections {
  count: number;
  seconds: number;
}

export function parseMajorCollections(metricsText: string): MajorCollections {
  const read = (suffix: 'count' | 'sum') => {
    const match = new RegExp(`^nodejs_gc_duration_seconds_${suffix}\\{kind="major"\\} (\\S+)$`, 'm').exec(metricsText);
    return match ? Number(match[1]) : 0;
  };
  return { count: read('count'), seconds: read('sum') };
}

/** The longest event-loop delay since the last read of /metrics, in ms (0 if not reported). */
export function parseEventLoopDelayMaxMs(metricsText: string): number {
  const match = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(metricsText);
  return match ? Number(match[1]) * 1000 : 0;
}

/** Gets served and queries run by the server's batched reads (`rapport_read_batch_size`), every entity summed. */
export interface ReadBatches {
  batches: number;
  gets: number;
}

export function parseReadBatches(metricsText: string): ReadBatches {
  const sum = (suffix: 'count' | 'sum') => [...metricsText.matchAll(new RegExp(`^rapport_read_batch_size_${suffix}\\{[^}]*\\} (\\S+)$`, 'gm'))]
    .reduce((total, match) => total + Number(match[1]), 0);
  return { batches: sum('count'), gets: sum('sum') };
}

/** Gets per query between two readings; undefined when no batched read ran between them. */
export function meanBatchSize(before: ReadBatches, after: ReadBatches): number | undefined {
  const batches = after.batches - before.batches;
  return batches > 0 ? (after.gets - before.gets) / batches : undefined;
}

export interface ServerMetrics {
  majorCollections: MajorCollections;
  eventLoopDelayMaxMs: number;
  readBatches: ReadBatches;
}

/** One read of the server's /metrics (which resets its longest event-loop delay). */
export async function readServerMetrics(serverUrl: string): Promise<ServerMetrics> {
  const response = await fetch(`${serverUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  return { majorCollections: parseMajorCollections(text), eventLoopDelayMaxMs: parseEventLoopDelayMaxMs(text), readBatches: parseReadBatches(text) };
}
