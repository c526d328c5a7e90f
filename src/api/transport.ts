/**
 * The HTTP transport: one request in, one response (status, headers, body text) out, or a
 * NetworkError / TimeoutError. The only code that opens connections (undici). The client takes a
 * transport as a parameter so its retry and adoption logic can be unit-tested on a scripted one.
 *
 * Timeouts are explicit: `timeoutMs` bounds the whole exchange (connect, headers and body); the
 * agent's connect timeout is the smaller of that and 10 s.
 */
import { Agent, request } from "undici";
import { NetworkError, ProtocolError, TimeoutError } from "./errors.ts";

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** Sends one request; throws NetworkError or TimeoutError when no complete answer arrives. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * The largest answer read (bytes). FCP answers are pages of at most 100 records; a body beyond this
 * is not the API (a wrong --api-url), and reading it whole could exhaust memory.
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Error codes meaning the request never left this machine (safe to send again). */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL",
  "ERR_INVALID_ARG_VALUE",
]);

function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return (error as { code?: string } | undefined)?.code;
}

/** A transport over an undici keep-alive agent. `close()` releases its sockets. */
export function undiciTransport(options: { connectTimeoutMs?: number } = {}): Transport & {
  close: () => Promise<void>;
} {
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    keepAliveTimeout: 4_000,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, req.timeoutMs);
    const what = `${req.method} ${new URL(req.url).pathname}`;
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        dispatcher: agent,
        signal: controller.signal,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          controller.abort();
          throw new ProtocolError(
            `${what}: the answer is larger than ${MAX_BODY_BYTES} bytes`,
            res.statusCode,
          );
        }
        chunks.push(chunk);
      }
      const text = new TextDecoder().decode(Buffer.concat(chunks));
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined)
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
      }
      return { status: res.statusCode, headers, text };
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      if (timedOut) throw new TimeoutError(`${what}: no complete answer within ${req.timeoutMs / 1000} s`);
      const code = errorCode(error);
      const sent = code === undefined || !NOT_SENT.has(code);
      const detail = code ?? (error instanceof Error ? error.message : "error");
      throw new NetworkError(
        sent
          ? `${what}: the connection failed before the answer arrived (${detail})`
          : `${what}: cannot connect to ${new URL(req.url).host} (${detail})`,
        sent,
      );
    } finally {
      clearTimeout(timer);
    }
  };
  return Object.assign(send, { close: () => agent.close() });
}
