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
  // Only a candidate within the bound can be the answer, and the length difference is a lower bound
  // of the distance, so most candidates are skipped without computing it (an unknown option is
  // checked against every option name, once per line of a script that may have thousands).
  // Ties go to the smallest name in code-unit order, as if the candidates were sorted.
  const bound = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = bound + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - lower.length) > bound) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;
  // A candidate that contains the name, or that the name contains, is a reasonable guess too.
  if (lower.length < 3) return undefined;
  let contained: string | undefined;
  for (const c of candidates)
    if ((c.includes(lower) || lower.includes(c)) && (contained === undefined || c < contained)) contained = c;
  return contained;
}
