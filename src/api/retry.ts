/**
 * When and how long to wait before trying a request again (fcp-api.md §9): exponential backoff
 * with jitter, `Retry-After` honoured, only for failures that can pass (429, 5xx but 501, network,
 * timeout). Whether a call may be repeated at all is the caller's business: reads, PATCH and DELETE
 * are; creates are not (see client.ts for the bid POST).
 */
import { type ApiError, RateLimitError, ServerError } from "./errors.ts";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Backoff of the first retry; doubles each time. */
  readonly baseDelayMs: number;
  /** Ceiling of one backoff. */
  readonly maxDelayMs: number;
  /** A longer `Retry-After` than this is not waited for: the error is raised. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
};

/** Whether the failure can pass on its own (so trying again makes sense). */
export function isTransient(error: ApiError): boolean {
  switch (error.kind) {
    case "rate-limited":
    case "network":
    case "timeout":
      return true;
    case "server":
      return error.status !== 501;
    default:
      return false;
  }
}

/**
 * Backoff before retry number `attempt` (0-based): "equal jitter" — half of min(max, base·2^n)
 * fixed, the other half random, so clients spread out but never retry at once.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/**
 * The wait before retry number `attempt`, or undefined when the error must be raised: not
 * transient, retries used up, or a `Retry-After` longer than the policy accepts. A `Retry-After`
 * replaces the backoff (plus up to 10 % jitter).
 */
export function retryDelay(
  error: ApiError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  if (!isTransient(error) || attempt >= policy.retries) return undefined;
  const after =
    error instanceof RateLimitError || error instanceof ServerError ? error.retryAfterMs : undefined;
  if (after !== undefined) {
    if (after > policy.maxRetryAfterMs) return undefined;
    return Math.round(after * (1 + random() * 0.1));
  }
  return backoffDelay(attempt, policy, random);
}
