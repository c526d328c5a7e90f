/**
 * "Did you mean" for names: a table of known confusions first (what users of the Python Flow SDK
 * actually mistype), then the closest candidate by edit distance within a length-scaled bound.
 */

/** Damerau-free Levenshtein distance, O(|a|·|b|) with one row of memory. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The best candidate for `name`, or undefined when none is close enough. `aliases` maps known
 * misspellings to the right name and wins over distance.
 */
export function closest(
  name: string,
  candidates: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const lower = name.toLowerCase();
  const alias = aliases[lower];
  if (alias !== undefined && candidates.includes(alias)) return alias;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of [...candidates].sort()) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const bound = Math.max(1, Math.floor(name.length / 3));
  if (best !== undefined && bestDistance <= bound) return best;
  // A candidate that contains the name, or that the name contains, is a reasonable guess too.
  return [...candidates].sort().find((c) => lower.length >= 3 && (c.includes(lower) || lower.includes(c)));
}
