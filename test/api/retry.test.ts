import { describe, expect, test } from "vitest";
import {
  AuthenticationError,
  errorFromResponse,
  NetworkError,
  parseRetryAfter,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from "../../src/api/errors.ts";
import { backoffDelay, DEFAULT_RETRY, isTransient, retryDelay } from "../../src/api/retry.ts";

const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

describe("retry policy", () => {
  test("backoff doubles, is capped, and jitters within [cap/2, cap]", () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
    expect(backoffDelay(10, policy, () => 0)).toBe(500);
  });

  test("only transient failures are retried, and only `retries` times", () => {
    expect(isTransient(new ServerError("x", 503))).toBe(true);
    expect(isTransient(new ServerError("x", 501))).toBe(false);
    expect(isTransient(new NetworkError("x", true))).toBe(true);
    expect(isTransient(new TimeoutError("x"))).toBe(true);
    expect(isTransient(new AuthenticationError("x", 401))).toBe(false);
    expect(isTransient(new ValidationError("x", []))).toBe(false);
    expect(retryDelay(new ServerError("x", 502), 2, policy, () => 0)).toBe(200);
    expect(retryDelay(new ServerError("x", 502), 3, policy, () => 0)).toBeUndefined();
  });

  test("Retry-After replaces the backoff; too long a Retry-After is not waited for", () => {
    expect(retryDelay(new RateLimitError("x", 2000), 0, policy, () => 0)).toBe(2000);
    expect(retryDelay(new RateLimitError("x", 2000), 0, policy, () => 1)).toBe(2200);
    expect(retryDelay(new RateLimitError("x", 9000), 0, policy, () => 0)).toBeUndefined();
    expect(DEFAULT_RETRY.retries).toBeGreaterThan(0);
  });

  test("Retry-After in seconds and as an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("0.5")).toBe(500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe("errors from responses", () => {
  const key = "fkey_SECRETSECRET";
  test("422 carries FastAPI field errors", () => {
    const e = errorFromResponse(
      422,
      JSON.stringify({ detail: [{ loc: ["body", "limit_price"], msg: "bad price", type: "value_error" }] }),
      "POST /v2/spot/bids",
      undefined,
      key,
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).fields).toEqual([
      { loc: ["body", "limit_price"], msg: "bad price", type: "value_error" },
    ]);
    expect(e.message).toContain("body.limit_price: bad price");
  });

  test("401 is an authentication error with suggestions; the key never appears", () => {
    const e = errorFromResponse(
      401,
      JSON.stringify({ detail: `Invalid credentials ${key}` }),
      "GET /v2/projects",
      undefined,
      key,
    );
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e.message).not.toContain(key);
    expect(e.message).toContain("[redacted]");
    expect(e.suggestions.join(" ")).toContain("flow init");
  });

  test("kinds by status and by the server's words", () => {
    const kind = (status: number, detail: string) =>
      errorFromResponse(status, JSON.stringify({ detail }), "X", undefined, key).kind;
    expect(kind(404, "Bid not found")).toBe("not-found");
    expect(kind(400, "Instance type not available in this region")).toBe("no-capacity");
    expect(kind(400, "quota exceeded for project")).toBe("quota");
    expect(kind(400, "order named x already exists")).toBe("conflict");
    expect(kind(400, "volume is referenced by a bid")).toBe("conflict");
    expect(kind(400, "something else")).toBe("bad-request");
    expect(kind(503, "down")).toBe("server");
    expect(kind(429, "slow down")).toBe("rate-limited");
    expect(errorFromResponse(429, "", "X", "7", key)).toMatchObject({ retryAfterMs: 7000 });
    expect(errorFromResponse(502, "<html>bad gateway</html>", "X", undefined, key).message).toContain(
      "bad gateway",
    );
    expect(
      errorFromResponse(
        400,
        JSON.stringify({ error: { code: "E", message: "seed shape" } }),
        "X",
        undefined,
        key,
      ).message,
    ).toContain("seed shape");
  });
});
