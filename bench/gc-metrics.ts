// The API server's own count of its major garbage collections, read from its /metrics
// (prom-client's default `nodejs_gc_duration_seconds`, kind="major"). Read before and after each
// half-load run: a major collection pauses the server for milliseconds and, paced, every request
// due meanwhile waits, so the count says whether a run's p99 had one in it.
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

export async function readMajorCollections(serverUrl: string): Promise<MajorCollections> {
  const response = await fetch(`${serverUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return parseMajorCollections(await response.text());
}
