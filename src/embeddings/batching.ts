// Splitting inputs into requests GLM accepts (run with util/pool.ts).

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
