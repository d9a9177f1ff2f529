// Bounded concurrency, in one place: runPool for work that must report what never started,
// mapLimit for "map these items, at most N at a time, keep the order".

export interface PoolFailure {
  task: number;
  error: unknown;
}

/**
 * Runs tasks 0..count-1 with at most `concurrency` at once, starting them in order. After the first
 * failure (or an abort) no new task starts; tasks already running finish, so their work is kept.
 * Resolves with the failure (if any) and the tasks that never started.
 */
export async function runPool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<{ failure?: PoolFailure; notStarted: number[] }> {
  let next = 0;
  let failure: PoolFailure | undefined;
  const worker = async () => {
    while (next < count && !failure && !signal?.aborted) {
      const i = next++;
      try {
        await task(i);
      } catch (error) {
        failure ??= { task: i, error };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker);
  await Promise.all(workers);
  const notStarted = Array.from({ length: count - next }, (_, k) => next + k);
  return { failure, notStarted };
}

/**
 * Runs `fn` over items with at most `limit` in flight, keeping order. The first failure rejects at
 * once and stops the run: items already in flight finish, but no new one starts (no downloads or
 * decoding for a result that will never be used).
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (err) {
        stopped = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
