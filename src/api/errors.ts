/**
 * The client's errors: one class per thing a user can do something about, each with a message and
 * suggestions the CLI prints as they are. Built from the HTTP status and the server's body
 * (FastAPI's `{"detail": …}`, also the seed envelope `{"error": {"message"}}`; fcp-api.md §4).
 *
 * Secrets: messages are built from the status, the method, the path and the server's text only —
 * never from request headers — and `redact` removes the API key from any text that could echo it.
 */

/** One field error of a 422 response: where (`["body", "limit_price"]`), what, and its machine type. */
export interface FieldError {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

/** What went wrong, as a stable word (tests and `--json` output match on it). */
export type ApiErrorKind =
  | "authentication"
  | "validation"
  | "not-found"
  | "bad-request"
  | "conflict"
  | "quota"
  | "no-capacity"
  | "rate-limited"
  | "server"
  | "network"
  | "timeout"
  | "protocol";

/** Base of every error the client raises. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  readonly suggestions: readonly string[];
  /**
   * True when the server may have acted on the request although the client saw a failure (a
   * dropped connection, a timeout, a 5xx): a create must be checked, never blindly repeated.
   */
  readonly ambiguous: boolean;

  constructor(
    kind: ApiErrorKind,
    message: string,
    options: { status?: number; suggestions?: readonly string[]; ambiguous?: boolean } = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.kind = kind;
    this.status = options.status;
    this.suggestions = options.suggestions ?? [];
    this.ambiguous = options.ambiguous ?? false;
  }
}

/** 401/403: the key is missing, wrong, expired, or lacks access. */
export class AuthenticationError extends ApiError {
  constructor(message: string, status: number) {
    super("authentication", message, {
      status,
      suggestions: [
        "check the API key: `flow init` stores one, or set FLOW_API_KEY (keys look like fkey_…)",
        "make a new key in the console if this one was revoked",
      ],
    });
  }
}

/** 422: the request failed the server's schema; `fields` say where. */
export class ValidationError extends ApiError {
  readonly fields: readonly FieldError[];
  constructor(message: string, fields: readonly FieldError[]) {
    super("validation", message, {
      status: 422,
      suggestions: ["this is usually a flow bug or an API change: please report it with `--json` output"],
    });
    this.fields = fields;
  }
}

/** 404: the resource does not exist (or is not visible to this key). */
export class NotFoundError extends ApiError {
  constructor(message: string, suggestions: readonly string[] = []) {
    super("not-found", message, { status: 404, suggestions });
  }
}

/** 400 business-rule failures the server explains in text. */
export class BadRequestError extends ApiError {
  constructor(message: string, status = 400, suggestions: readonly string[] = []) {
    super("bad-request", message, { status, suggestions });
  }
}

/** 409 (or a 400 saying the resource exists / is in use): not in a valid state for the request. */
export class ConflictError extends ApiError {
  constructor(message: string, status: number, suggestions: readonly string[] = []) {
    super("conflict", message, { status, suggestions });
  }
}

/** A quota or limit of the account refuses the request. */
export class QuotaError extends ApiError {
  constructor(message: string, status: number) {
    super("quota", message, {
      status,
      suggestions: [
        "ask for a larger quota, or cancel tasks you no longer need (`flow status`, `flow cancel`)",
      ],
    });
  }
}

/** No region has the capacity or an auction for the request. */
export class NoCapacityError extends ApiError {
  constructor(message: string, suggestions: readonly string[], status?: number) {
    super("no-capacity", message, { ...(status !== undefined ? { status } : {}), suggestions });
  }
}

/** 429: too many requests; `retryAfterMs` from the `Retry-After` header when given. */
export class RateLimitError extends ApiError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number | undefined) {
    super("rate-limited", message, {
      status: 429,
      suggestions: ["wait a minute and try again; run fewer flow commands at once"],
    });
    this.retryAfterMs = retryAfterMs;
  }
}

/** 5xx: the server failed; it may or may not have acted on the request. */
export class ServerError extends ApiError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, status: number, retryAfterMs?: number) {
    super("server", message, {
      status,
      ambiguous: true,
      suggestions: ["the API is failing: try again in a few minutes (`flow status` shows what exists)"],
    });
    this.retryAfterMs = retryAfterMs;
  }
}

/** The connection failed or dropped. `ambiguous` when the request may have reached the server. */
export class NetworkError extends ApiError {
  constructor(message: string, ambiguous: boolean) {
    super("network", message, {
      ambiguous,
      suggestions: ["check the API URL (`--api-url`, FLOW_API_URL) and your network connection"],
    });
  }
}

/** No complete answer within the timeout; the server may still have acted. */
export class TimeoutError extends ApiError {
  constructor(message: string) {
    super("timeout", message, {
      ambiguous: true,
      suggestions: ["the API is slow or unreachable: try again (`flow status` shows what exists)"],
    });
  }
}

/** The server answered something the client cannot read (not JSON, wrong shape). */
export class ProtocolError extends ApiError {
  constructor(message: string, status?: number) {
    super("protocol", message, {
      ...(status !== undefined ? { status } : {}),
      suggestions: ["check that the API URL points at the FCP API (`--api-url`, FLOW_API_URL)"],
    });
  }
}

/** Removes every occurrence of `secret` (and its `Bearer` form) from a text. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join("[redacted]");
}

function shorten(text: string, max = 300): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** The server's explanation from a FastAPI or seed-envelope body: text, and 422 field errors. */
function readErrorBody(text: string): { message: string | undefined; fields: FieldError[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { message: text.trim() ? shorten(text) : undefined, fields: [] };
  }
  if (data && typeof data === "object") {
    const record = data as Record<string, unknown>;
    const detail = record.detail;
    if (typeof detail === "string") return { message: detail, fields: [] };
    if (Array.isArray(detail)) {
      const fields: FieldError[] = detail.flatMap((d) => {
        if (!d || typeof d !== "object") return [];
        const e = d as Record<string, unknown>;
        const loc = Array.isArray(e.loc)
          ? e.loc.filter((p): p is string | number => typeof p === "string" || typeof p === "number")
          : [];
        return [{ loc, msg: typeof e.msg === "string" ? e.msg : "invalid", type: String(e.type ?? "") }];
      });
      return { message: fields.map(fieldText).join("; ") || undefined, fields };
    }
    const error = record.error;
    if (error && typeof error === "object") {
      const message = (error as Record<string, unknown>).message;
      if (typeof message === "string") return { message, fields: [] };
    }
    if (typeof record.message === "string") return { message: record.message, fields: [] };
  }
  return { message: shorten(text), fields: [] };
}

/** `body.launch_specification.ssh_keys.0: Field required`. */
function fieldText(field: FieldError): string {
  return `${field.loc.join(".") || "request"}: ${field.msg}`;
}

/** Milliseconds from a `Retry-After` value (seconds or an HTTP date), undefined when absent/invalid. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The typed error for an HTTP answer that is not a success. `what` names the call (`POST /v2/spot/bids`). */
export function errorFromResponse(
  status: number,
  bodyText: string,
  what: string,
  retryAfter: string | undefined,
  apiKey: string | undefined,
): ApiError {
  const body = readErrorBody(redact(bodyText, apiKey));
  const said = body.message !== undefined ? `: ${body.message}` : "";
  const text = `${what} failed with ${status}${said}`;
  const lower = (body.message ?? "").toLowerCase();
  if (status === 401 || status === 403) {
    if (status === 403 && /quota|limit/.test(lower)) return new QuotaError(text, status);
    return new AuthenticationError(
      status === 401 ? `the API key was not accepted (${status}${said})` : `access denied (${status}${said})`,
      status,
    );
  }
  if (status === 422) return new ValidationError(text, body.fields);
  if (status === 404) return new NotFoundError(text);
  if (status === 429) return new RateLimitError(text, parseRetryAfter(retryAfter));
  if (status >= 500) return new ServerError(text, status, parseRetryAfter(retryAfter));
  if (/quota|limit exceeded|exceeds? (the |your )?(limit|quota)/.test(lower))
    return new QuotaError(text, status);
  if (/not available in this region|no capacity|insufficient capacity|no auction/.test(lower))
    return new NoCapacityError(
      text,
      ["choose another region or instance type (`flow instance-types --live`)"],
      status,
    );
  if (status === 409 || /already exists|in use|referenced by/.test(lower))
    return new ConflictError(text, status);
  return new BadRequestError(text, status);
}
