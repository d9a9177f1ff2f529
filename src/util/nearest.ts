// "Did you mean …?": the closest known name to a mistyped one (tool arguments, CLI flags).

/** Case, `_` and `-` do not matter when names are compared. */
export const looseKey = (name: string) => name.toLowerCase().replace(/[_-]/g, "");

/** The candidate closest to `key` by edit distance (loose keys), if it is close enough to be a typo. */
export function nearest(key: string, candidates: readonly string[]): string | undefined {
  const k = looseKey(key);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(k, looseKey(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(k.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
