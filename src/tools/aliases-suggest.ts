// "Did you mean": the canonical argument nearest to an unknown name, by edit distance over the
// canonical names and their aliases (case and `_`/`-` ignored), so `topx` suggests `top_k`.

/** The canonical name closest to `name` (aliases count, and suggest the name they stand for). */
export function nearestName(
  name: string,
  canonical: readonly string[],
  aliases: Readonly<Record<string, string>>,
): string {
  const candidates: [spelling: string, target: string][] = [
    ...canonical.map((c) => [c, c] as [string, string]),
    ...Object.entries(aliases),
  ];
  const key = squash(name);
  let best = canonical[0] ?? "";
  let bestDistance = Infinity;
  for (const [spelling, target] of candidates) {
    const d = editDistance(key, squash(spelling));
    if (d < bestDistance) [best, bestDistance] = [target, d];
  }
  return best;
}

const squash = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, "");

/** Levenshtein distance (insert, delete, substitute), one row at a time. */
export function editDistance(a: string, b: string): number {
  // Unknown names can be anything a client sends: compare bounded prefixes only.
  a = a.slice(0, 64);
  b = b.slice(0, 64);
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
