/**
 * The FCP API client: every call the commands make, over an injected transport (undici by
 * default). Bearer auth on every request; an explicit timeout on every request; reads, PATCH and
 * DELETE retried on transient failures (retry.ts); errors typed (errors.ts).
 *
 * Creating a bid is never retried blindly (DESIGN invariant 8). After an ambiguous failure (a
 * dropped connection, a timeout, a 5xx — the server may have committed the bid) the client lists
 * bids by the request's name and adopts the bid it finds; only when none exists does it POST again.
 * A 400 saying the name already exists also leads to the listing. Names must therefore be unique
 * per submission (the commands add a random suffix). Volumes are created the same way.
 *
 * The API key is used only in the Authorization header; it never enters an error or an event.
 */
import {
  ApiError,
  ConflictError,
  errorFromResponse,
  NotFoundError,
  ProtocolError,
  redact,
} from "./errors.ts";
import type {
  BidModel,
  CreateBidBody,
  CreateVolumeBody,
  InstanceModel,
  ProjectModel,
  SshKeyModel,
  VolumeModel,
} from "./models.ts";
import { DEFAULT_RETRY, type RetryPolicy, retryDelay } from "./retry.ts";
import type { HttpResponse, Transport } from "./transport.ts";

/** Something the client did that a caller may want to show (`--verbose`) or count (benchmarks). */
export type ClientEvent =
  | {
      readonly type: "retry";
      readonly what: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: ApiError;
    }
  | { readonly type: "ambiguous"; readonly what: string; readonly name: string; readonly error: ApiError }
  | { readonly type: "adopted"; readonly what: string; readonly name: string; readonly fid: string }
  | { readonly type: "duplicate-cancelled"; readonly name: string; readonly fid: string }
  /** A listing stopped at the page cap with more pages left: what it returned is incomplete. */
  | { readonly type: "truncated"; readonly what: string; readonly records: number };

export interface ClientOptions {
  /** `https://api.mlfoundry.com` (no `/v2`); a trailing slash is ignored. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly transport: Transport;
  /** Per-request timeout. Default 30 s. */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /**
   * How long to wait after an ambiguous create before looking for the resource. Default 250 ms;
   * after a timeout, at least the request timeout.
   */
  readonly settleMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onEvent?: (event: ClientEvent) => void;
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

interface CallOptions {
  readonly query?: Query;
  readonly body?: unknown;
  /** Whether repeating the call is harmless (reads, PATCH, DELETE). */
  readonly safe: boolean;
  /** Statuses that count as success besides 2xx (e.g. 404 on a repeated DELETE). */
  readonly accept?: readonly number[];
  /** Statuses that count as success on a retry after an unclear attempt (404: the DELETE took). */
  readonly acceptAfterAmbiguous?: readonly number[];
}

/** A created (or adopted) resource and how it came to be. */
export interface Created<T> {
  readonly value: T;
  /** True when an earlier, ambiguous attempt had in fact created it and the client found it. */
  readonly adopted: boolean;
  /** POST attempts made. */
  readonly attempts: number;
}

/** Pages followed at most by one listing (100 per page): 20,000 records. */
const MAX_PAGES = 200;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FcpClient {
  readonly baseUrl: string;
  readonly #apiKey: string;
  readonly #transport: Transport;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #settleMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #onEvent: (event: ClientEvent) => void;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
    this.#transport = options.transport;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#settleMs = options.settleMs ?? 250;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#onEvent = options.onEvent ?? (() => {});
  }

  /** Not a string of the key, ever (e.g. when a client object is logged). */
  toJSON(): unknown {
    return { baseUrl: this.baseUrl };
  }

  #url(path: string, query: Query | undefined): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** One exchange, no retry: the parsed JSON body (undefined for 204), or a typed error. */
  async #once(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    options: CallOptions,
  ): Promise<unknown> {
    const what = `${method} ${path}`;
    let response: HttpResponse;
    try {
      response = await this.#transport({
        method,
        url: this.#url(path, options.query),
        headers: {
          authorization: `Bearer ${this.#apiKey}`,
          accept: "application/json",
          "content-type": "application/json",
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        timeoutMs: this.#timeoutMs,
      });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ProtocolError(
        `${what}: ${redact(error instanceof Error ? error.message : String(error), this.#apiKey)}`,
      );
    }
    const ok = (response.status >= 200 && response.status < 300) || options.accept?.includes(response.status);
    if (!ok) {
      throw errorFromResponse(
        response.status,
        response.text,
        what,
        response.headers["retry-after"],
        this.#apiKey,
      );
    }
    if (response.status === 204 || response.text.trim() === "") return undefined;
    try {
      return JSON.parse(response.text);
    } catch {
      throw new ProtocolError(`${what}: the answer (${response.status}) is not JSON`, response.status);
    }
  }

  /** A call, retried per the policy when `safe`. */
  async call(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    options: CallOptions,
  ): Promise<unknown> {
    let unclear = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once(
          method,
          path,
          unclear && options.acceptAfterAmbiguous
            ? { ...options, accept: [...(options.accept ?? []), ...options.acceptAfterAmbiguous] }
            : options,
        );
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.ambiguous) unclear = true;
        // A create may be repeated only when the server certainly did not act on it.
        if (!options.safe && error.ambiguous) throw error;
        const delay = retryDelay(error, attempt, this.#retry, this.#random);
        if (delay === undefined) throw error;
        this.#onEvent({
          type: "retry",
          what: `${method} ${path}`,
          attempt: attempt + 1,
          delayMs: delay,
          error,
        });
        await this.#sleep(delay);
      }
    }
  }

  /**
   * Follows `next_cursor` (fcp-api.md §3.5); stops on a repeated cursor or after MAX_PAGES, then
   * with a `truncated` event (the CLI says it on stderr) rather than silently.
   */
  async #listPaged<T>(path: string, query: Query): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) {
        this.#onEvent({ type: "truncated", what: `GET ${path}`, records: out.length });
        break;
      }
      const body = await this.call("GET", path, {
        safe: true,
        query: { ...query, limit: 100, ...(cursor !== undefined ? { next_cursor: cursor } : {}) },
      });
      if (Array.isArray(body)) return body as T[];
      if (!body || typeof body !== "object" || !Array.isArray((body as { data?: unknown }).data))
        throw new ProtocolError(`GET ${path}: expected {data, next_cursor}`);
      const { data, next_cursor } = body as { data: T[]; next_cursor?: string | null };
      out.push(...data);
      if (!next_cursor || seen.has(next_cursor)) break;
      seen.add(next_cursor);
      cursor = next_cursor;
    }
    return out;
  }

  async #listBare<T>(path: string, query: Query = {}): Promise<T[]> {
    const body = await this.call("GET", path, { safe: true, query });
    if (Array.isArray(body)) return body as T[];
    if (body && typeof body === "object" && Array.isArray((body as { data?: unknown }).data))
      return (body as { data: T[] }).data;
    throw new ProtocolError(`GET ${path}: expected a list`);
  }

  // ── account ────────────────────────────────────────────────────────────────────────────────

  listProjects(): Promise<ProjectModel[]> {
    return this.#listBare("/v2/projects");
  }

  /** `proj_…` as is; a project name through `GET /v2/projects`. */
  async resolveProject(project: string): Promise<ProjectModel> {
    const projects = await this.listProjects();
    const found = projects.find((p) => p.fid === project) ?? projects.find((p) => p.name === project);
    if (found) return found;
    throw new NotFoundError(
      `no project \`${project}\` is visible to this API key`,
      projects.length > 0 ? [`projects: ${projects.map((p) => `${p.name} (${p.fid})`).join(", ")}`] : [],
    );
  }

  // ── catalog ────────────────────────────────────────────────────────────────────────────────

  listInstanceTypes(): Promise<unknown[]> {
    return this.#listBare("/v2/instance-types");
  }

  listAvailability(): Promise<unknown[]> {
    return this.#listBare("/v2/spot/availability");
  }

  // ── bids ───────────────────────────────────────────────────────────────────────────────────

  listBids(query: { project: string; name?: string; status?: string }): Promise<BidModel[]> {
    return this.#listPaged("/v2/spot/bids", query);
  }

  /** The bid, or undefined when no bid has that FID (list and match: GET-by-FID is not everywhere). */
  async findBid(project: string, fid: string): Promise<BidModel | undefined> {
    try {
      const bid = (await this.call("GET", `/v2/spot/bids/${encodeURIComponent(fid)}`, {
        safe: true,
      })) as BidModel;
      if (bid && typeof bid === "object" && bid.fid === fid) return bid;
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) throw error;
    }
    return (await this.listBids({ project })).find((b) => b.fid === fid);
  }

  /**
   * Places a bid; never creates two. See the file comment: after an ambiguous failure the bid is
   * looked up by name and adopted; a second POST happens only when none exists.
   */
  async createBid(body: CreateBidBody): Promise<Created<BidModel>> {
    return this.#createOnce(
      "POST /v2/spot/bids",
      body.name,
      () => this.#once("POST", "/v2/spot/bids", { safe: false, body }) as Promise<BidModel>,
      async () =>
        this.#pickOwn(
          (await this.listBids({ project: body.project, name: body.name })).filter(
            (b) => b.name === body.name && b.instance_type === body.instance_type,
          ),
        ),
    );
  }

  /**
   * Of the bids bearing one submission's unique name, the oldest live one; any other live one can
   * only be a duplicate a server without name checks let through — it is cancelled.
   */
  async #pickOwn(bids: BidModel[]): Promise<BidModel | undefined> {
    const live = bids
      .filter((b) => b.status !== "Terminated")
      .sort((a, b) =>
        a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.fid < b.fid ? -1 : 1,
      );
    const [first, ...extra] = live;
    for (const bid of extra) {
      await this.cancelBid(bid.fid);
      this.#onEvent({ type: "duplicate-cancelled", name: bid.name, fid: bid.fid });
    }
    return first;
  }

  async #createOnce<T extends { fid: string }>(
    what: string,
    name: string,
    post: () => Promise<T>,
    find: () => Promise<T | undefined>,
  ): Promise<Created<T>> {
    let attempts = 0;
    let unclearBefore = false;
    for (let attempt = 0; ; attempt++) {
      attempts++;
      let failure: ApiError;
      try {
        const value = await post();
        if (!value || typeof value !== "object" || typeof value.fid !== "string")
          throw new ProtocolError(`${what}: the answer carries no \`fid\``);
        if (!unclearBefore) return { value, adopted: false, attempts };
        // An earlier attempt's outcome was unclear and the lookup found nothing — but the server
        // may have committed it after the lookup. Look again: the oldest of this unique name is
        // kept and any later one cancelled (#pickOwn), so a late commit leaves no duplicate.
        await this.#sleep(this.#settleMs);
        try {
          const kept = await find();
          if (kept) return { value: kept, adopted: kept.fid !== value.fid, attempts };
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          // The lookup failed; ours exists, and `flow status` shows any duplicate by its name.
        }
        return { value, adopted: false, attempts };
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failure = error;
      }
      // An answer that cannot be read (even a 2xx) leaves the outcome as open as a dropped one.
      const unclear = failure.ambiguous || failure.kind === "protocol";
      unclearBefore ||= unclear;
      if (unclear || failure instanceof ConflictError) {
        this.#onEvent({ type: "ambiguous", what, name, error: failure });
        // After a timeout the server may still be working on the request: give it one more
        // timeout period to finish before looking (a server that checks names is safe anyway).
        if (unclear)
          await this.#sleep(
            failure.kind === "timeout" ? Math.max(this.#settleMs, this.#timeoutMs) : this.#settleMs,
          );
        const existing = await this.#findSurely(what, name, find, failure);
        if (existing) {
          this.#onEvent({ type: "adopted", what, name, fid: existing.fid });
          return { value: existing, adopted: true, attempts };
        }
        if (failure instanceof ConflictError) throw failure;
        if (failure.kind === "protocol") throw failure;
      }
      const delay = retryDelay(failure, attempt, this.#retry, this.#random);
      if (delay === undefined) throw failure;
      this.#onEvent({ type: "retry", what, attempt: attempt + 1, delayMs: delay, error: failure });
      await this.#sleep(delay);
    }
  }

  /**
   * The lookup after an ambiguous create, itself retried until it answers: guessing "absent" on a
   * failed lookup could create a duplicate, so when it never answers the error says the resource
   * may exist.
   */
  async #findSurely<T>(what: string, name: string, find: () => Promise<T | undefined>, cause: ApiError) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await find();
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const delay = retryDelay(error, attempt, this.#retry, this.#random);
        if (delay === undefined) {
          throw new ApiError(
            error.kind,
            `${what} failed ambiguously (${cause.message}) and looking up \`${name}\` failed too (${error.message}): it may or may not exist`,
            {
              ...(error.status !== undefined ? { status: error.status } : {}),
              ambiguous: true,
              suggestions: [`run \`flow status ${name}\` before submitting again`],
            },
          );
        }
        await this.#sleep(delay);
      }
    }
  }

  /** Cancels (DELETE) a bid; a bid already gone counts as cancelled. */
  async cancelBid(fid: string): Promise<void> {
    await this.call("DELETE", `/v2/spot/bids/${encodeURIComponent(fid)}`, { safe: true, accept: [404] });
  }

  // ── instances ──────────────────────────────────────────────────────────────────────────────

  listInstances(query: { project: string; bidFids?: readonly string[] }): Promise<InstanceModel[]> {
    return this.#listPaged("/v2/instances", {
      project: query.project,
      ...(query.bidFids?.length ? { bid_fid_in: query.bidFids.join(",") } : {}),
    });
  }

  /** `/v2/instances/{fid}/status` (Mithril era): `end_time` of a preempting instance; undefined when absent. */
  async instanceStatus(fid: string): Promise<{ status?: string; end_time?: string | null } | undefined> {
    try {
      return (await this.call("GET", `/v2/instances/${encodeURIComponent(fid)}/status`, { safe: true })) as {
        status?: string;
        end_time?: string | null;
      };
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return undefined;
      throw error;
    }
  }

  // ── volumes and keys ───────────────────────────────────────────────────────────────────────

  listVolumes(query: { project: string; region?: string }): Promise<VolumeModel[]> {
    return this.#listBare("/v2/volumes", query);
  }

  /** Creates a volume; like bids, an ambiguous failure is resolved by looking the name up. */
  createVolume(body: CreateVolumeBody): Promise<Created<VolumeModel>> {
    return this.#createOnce(
      "POST /v2/volumes",
      body.name,
      () => this.#once("POST", "/v2/volumes", { safe: false, body }) as Promise<VolumeModel>,
      async () =>
        (await this.listVolumes({ project: body.project, region: body.region })).find(
          (v) => v.name === body.name && !v.deleted_at,
        ),
    );
  }

  async deleteVolume(fid: string): Promise<void> {
    // a retry after an unclear attempt (dropped, timed out) that finds no volume: the first one took
    await this.call("DELETE", `/v2/volumes/${encodeURIComponent(fid)}`, {
      safe: true,
      acceptAfterAmbiguous: [404],
    });
  }

  listSshKeys(project: string): Promise<SshKeyModel[]> {
    return this.#listBare("/v2/ssh-keys", { project });
  }
}

/** A client over undici with the given configuration; `close()` releases its connections. */
export async function createClient(
  options: Omit<ClientOptions, "transport"> & { transport?: Transport },
): Promise<{ client: FcpClient; close: () => Promise<void> }> {
  if (options.transport)
    return { client: new FcpClient({ ...options, transport: options.transport }), close: async () => {} };
  const { undiciTransport } = await import("./transport.ts");
  const transport = undiciTransport({ connectTimeoutMs: Math.min(options.timeoutMs ?? 30_000, 10_000) });
  return { client: new FcpClient({ ...options, transport }), close: () => transport.close() };
}
