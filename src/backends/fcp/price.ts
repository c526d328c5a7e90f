/**
 * Prices on the wire are strings: a dollar sign and two decimals, per instance-hour ("$12.50").
 * Arithmetic is in integer cents so no binary-float artefact ever reaches a bid.
 */

/** Whole cents of a dollar amount, rounded half up at the cent. */
export function toCents(dollars: number): number {
  return Math.round(Number((dollars * 100).toPrecision(12)));
}

/** `"$12.5"` → 1250; undefined unless the text is `$` then digits with at most two decimals. */
export function parseCents(text: string): number | undefined {
  const m = /^\$(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
  return Number.isSafeInteger(cents) ? cents : undefined;
}

/** `"$12.50"` for 1250 cents. */
export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, "0");
  return `$${whole}.${rest}`;
}

/** Per-GPU-hour limit prices of the priority tiers (the Python Flow SDK's priority map). */
export const PRIORITY_CENTS_PER_GPU_HOUR = { low: 200, med: 424, high: 1229 } as const;

export type PriorityTier = keyof typeof PRIORITY_CENTS_PER_GPU_HOUR;

/** The tier of a priority as written: a tier name, or 1–100 (1–33 low, 34–66 med, 67–100 high). */
export function priorityTier(priority: PriorityTier | number | undefined): PriorityTier {
  if (priority === undefined) return "med";
  if (typeof priority === "string") return priority;
  return priority <= 33 ? "low" : priority <= 66 ? "med" : "high";
}
