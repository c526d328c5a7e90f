/**
 * A count as messages and tables print it: thousands separated by commas (`10,000`), the same on
 * every machine whatever its locale.
 */
export function countText(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
