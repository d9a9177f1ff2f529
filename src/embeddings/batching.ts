// Splitting inputs into requests GLM accepts, and running them with bounded concurrency.

/**
 * Consecutive groups of positions, each within `maxItems` inputs and `maxTokens` summed tokens.
 * Order is kept, so a failed batch maps back to a contiguous range of inputs.
 */
export function planBatches(tokens: readonly number[], maxItems: number, maxTokens = Infinity): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let sum = 0;
  tokens.forEach((t, i) => {
    if (current.length > 0 && (current.length >= maxItems || sum + t > maxTokens)) {
      batches.push(current);
      current = [];
      sum = 0;
    }
    current.push(i);
    sum += t;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

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
