// Gets by id that arrive together share one query. Under load the server reads several
// requests from its sockets before it next looks at timers and I/O; the gets among them for the
// same workspace and read scope wait until that turn of the event loop ends (setImmediate) and
// then go to PostgreSQL as one `id = any($ids)` query, on one connection. One get alone waits for
// nothing but the end of its turn.
//
// Why: for a get by primary key the statement's fixed costs — a round trip, waking a backend,
// the protocol messages on both sides — are nearly all of the work. A bare node-pg loop read
// 13,000 contacts/s one per query and 47,500/s eight per query (docs/benchmarks.md).
//
// What a caller keys a batch by must cover everything the query's answer depends on besides
// the ids: the tenant (row-level security sets it per connection) and the actor's read scope.

/** How many ids one query takes at most; a larger batch is split. */
export const maxBatchSize = 100;

interface Waiter<Value> {
  resolve: (value: Value | undefined) => void;
  reject: (error: unknown) => void;
}

interface PendingBatch<Context, Value> {
  context: Context;
  waiters: Map<string, Waiter<Value>[]>;
}

export interface ReadBatcher<Context, Value> {
  /**
   * The value for `id`, or undefined when the batch's query did not return it. Ids are uuids,
   * which PostgreSQL returns in lower case: an id is read and matched in lower case, whatever
   * case the request used.
   */
  load(batchKey: string, context: Context, id: string): Promise<Value | undefined>;
}

export interface ReadBatcherOptions<Context, Value> {
  /** Reads the values of these ids (distinct, at most maxBatchSize) in the batch's context. */
  read: (context: Context, ids: string[]) => Promise<Map<string, Value>>;
  /** Told the size of every batch read, for metrics and tests. */
  onBatch?: (size: number) => void;
}

export function createReadBatcher<Context, Value>({ read, onBatch }: ReadBatcherOptions<Context, Value>): ReadBatcher<Context, Value> {
  let pending = new Map<string, PendingBatch<Context, Value>>();
  let isScheduled = false;

  async function readBatch(context: Context, waiters: [string, Waiter<Value>[]][]) {
    onBatch?.(waiters.length);
    try {
      const values = await read(context, waiters.map(([id]) => id));
      for (const [id, ofId] of waiters) for (const waiter of ofId) waiter.resolve(values.get(id));
    } catch (error) {
      for (const [, ofId] of waiters) for (const waiter of ofId) waiter.reject(error);
    }
  }

  function flush() {
    const batches = pending;
    pending = new Map();
    isScheduled = false;
    for (const { context, waiters } of batches.values()) {
      const entries = [...waiters];
      for (let start = 0; start < entries.length; start += maxBatchSize) void readBatch(context, entries.slice(start, start + maxBatchSize));
    }
  }

  return {
    load(batchKey, context, anyCaseId) {
      const id = anyCaseId.toLowerCase();
      return new Promise<Value | undefined>((resolve, reject) => {
        let batch = pending.get(batchKey);
        if (!batch) {
          batch = { context, waiters: new Map() };
          pending.set(batchKey, batch);
        }
        const waiters = batch.waiters.get(id);
        if (waiters) waiters.push({ resolve, reject });
        else batch.waiters.set(id, [{ resolve, reject }]);
        if (!isScheduled) {
          isScheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
