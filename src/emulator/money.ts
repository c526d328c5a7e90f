/** Prices on the wire are `"$12.50"` strings (fcp-api.md §3.2); the emulator compares integer cents. */

/** `"$12.5"` → 1250; undefined unless the text is `$` then digits with at most two decimals. */
export function parseCents(text: string): number | undefined {
  const m = /^\$(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
  return Number.isSafeInteger(cents) ? cents : undefined;
}

/** 1250 → `"$12.50"`. */
export function formatCents(cents: number): string {
  return `$${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}
