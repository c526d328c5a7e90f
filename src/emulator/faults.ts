/**
 * Fault injection for client tests (fcp-api.md §12.9 #35): answer with 429/5xx, add latency, or drop
 * the connection — before the request is handled, or after it was (the state changed, e.g. the bid
 * was committed, but the client never learns it). Decisions with a probability come from a seeded
 * generator of their own, so they are reproducible and do not disturb the FIDs.
 */
import * as z from "zod/mini";
import { Random } from "./random.ts";

/** One rule. The first matching rule with uses left applies to a request. */
export const FaultRuleSchema = z.strictObject({
  /** HTTP method to match (default: any). */
  method: z.optional(z.string().check(z.regex(/^[A-Za-z]+$/))),
  /** Path to match: exact, or a prefix when it ends in `*` (default: every `/v2` path). */
  path: z.optional(z.string().check(z.regex(/^\//, { error: "a path starts with /" }))),
  /** Answer with this status and `{"detail": "<reason>"}` (e.g. 429, 500, 502, 503, 504). */
  status: z.optional(z.int().check(z.gte(400), z.lte(599))),
  /** `Retry-After` header (seconds) sent with `status`. */
  retry_after: z.optional(z.int().check(z.nonnegative())),
  /** Wait this long (real milliseconds): before handling the request, or with `when: "after"` before answering. */
  latency_ms: z.optional(z.int().check(z.nonnegative(), z.lte(600_000))),
  /** Close the connection without an answer. */
  drop: z.optional(z.boolean()),
  /** `before` (default): the request is not handled; `after`: it is handled, then the fault replaces the answer. */
  when: z.optional(z.enum(["before", "after"])),
  /** How many requests the rule applies to (default: unlimited). */
  times: z.optional(z.int().check(z.positive())),
  /** Chance that a matching request is affected (default 1). */
  probability: z.optional(z.number().check(z.gte(0), z.lte(1))),
});

export type FaultRule = z.infer<typeof FaultRuleSchema>;

/** The effect chosen for one request. */
export interface Fault {
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  drop: boolean;
  when: "before" | "after";
}

interface ActiveRule {
  rule: FaultRule;
  used: number;
}

export class Faults {
  #rules: ActiveRule[] = [];
  #random: Random;
  injected = 0;

  constructor(seed: number | string) {
    this.#random = new Random(`faults:${seed}`);
  }

  add(rules: FaultRule[]): void {
    for (const rule of rules) this.#rules.push({ rule, used: 0 });
  }

  clear(): void {
    this.#rules = [];
  }

  list(): (FaultRule & { used: number })[] {
    return this.#rules.map(({ rule, used }) => ({ ...rule, used }));
  }

  /** The fault for a request, if any; consumes one use of the rule. */
  pick(method: string, path: string): Fault | undefined {
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.times !== undefined && active.used >= rule.times) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined) {
        const matches = rule.path.endsWith("*")
          ? path.startsWith(rule.path.slice(0, -1))
          : path === rule.path;
        if (!matches) continue;
      }
      if (rule.probability !== undefined && this.#random.float() >= rule.probability) continue;
      active.used++;
      this.injected++;
      return {
        ...(rule.status !== undefined ? { status: rule.status } : {}),
        ...(rule.retry_after !== undefined ? { retryAfter: rule.retry_after } : {}),
        ...(rule.latency_ms !== undefined ? { latencyMs: rule.latency_ms } : {}),
        drop: rule.drop ?? false,
        when: rule.when ?? "before",
      };
    }
    return undefined;
  }
}
