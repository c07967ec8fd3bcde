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

export interface ServerPauses {
  majorCollections: MajorCollections;
  eventLoopDelayMaxMs: number;
}

export async function readServerPauses(serverUrl: string): Promise<ServerPauses> {
  const response = await fetch(`${serverUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  return { majorCollections: parseMajorCollections(text), eventLoopDelayMaxMs: parseEventLoopDelayMaxMs(text) };
}
