/**
 * String order by UTF-16 code units, never the locale: what every sorted output of flow (catalog
 * tables, archive entries, env names, rendered options) uses, so the same input gives the same
 * bytes on every machine (DESIGN invariant 7).
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
