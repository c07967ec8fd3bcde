import { describe, expect, it } from 'vitest';
import { meanBatchSize, parseEventLoopDelayMaxMs, parseMajorCollections, parseReadBatches } from '../bench/gc-metrics.js';

describe('the bench reading major collections from /metrics', () => {
  it('takes the major kind and leaves the others', () => {
    const text = [
      '# TYPE nodejs_gc_duration_seconds histogram',
      'nodejs_gc_duration_seconds_bucket{le="0.001",kind="major"} 1',
      'nodejs_gc_duration_seconds_sum{kind="minor"} 0.25',
      'nodejs_gc_duration_seconds_count{kind="minor"} 120',
      'nodejs_gc_duration_seconds_sum{kind="major"} 0.0375',
      'nodejs_gc_duration_seconds_count{kind="major"} 3',
      'nodejs_gc_duration_seconds_count{kind="incremental"} 7',
    ].join('\n');
    expect(parseMajorCollections(text)).toEqual({ count: 3, seconds: 0.0375 });
  });

  it('counts none before the first major collection has happened', () => {
    expect(parseMajorCollections('nodejs_gc_duration_seconds_count{kind="minor"} 4\n')).toEqual({ count: 0, seconds: 0 });
  });

  it('reads the longest event-loop delay in ms, and none when the server does not report it', () => {
    const text = [
      'nodejs_eventloop_lag_seconds 0.0012',
      'nodejs_eventloop_lag_min_seconds 0.0010',
      'nodejs_eventloop_lag_max_seconds 0.0315',
      'nodejs_eventloop_lag_p99_seconds 0.012',
    ].join('\n');
    expect(parseEventLoopDelayMaxMs(text)).toBeCloseTo(31.5, 6);
    expect(parseEventLoopDelayMaxMs('nodejs_eventloop_lag_seconds 0.0012\n')).toBe(0);
  });

  it('reads the batched gets of every entity, and their mean per query between two readings', () => {
    const before = parseReadBatches([
      'rapport_read_batch_size_bucket{le="1",entity="contact"} 3',
      'rapport_read_batch_size_sum{entity="contact"} 40',
      'rapport_read_batch_size_count{entity="contact"} 10',
      'rapport_read_batch_size_sum{entity="company"} 2',
      'rapport_read_batch_size_count{entity="company"} 2',
    ].join('\n'));
    expect(before).toEqual({ batches: 12, gets: 42 });
    expect(meanBatchSize(before, { batches: 22, gets: 102 })).toBe(6);
    expect(meanBatchSize(before, before)).toBeUndefined();
    expect(parseReadBatches('http_request_duration_seconds_count{route="/"} 5\n')).toEqual({ batches: 0, gets: 0 });
  });
});
