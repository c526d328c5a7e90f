/**
 * The emulator's HTTP server (node:http, loopback): routing with FastAPI's answers for unknown paths
 * (404) and methods (405), bearer authentication (401), fault injection, and the test-only control
 * endpoints under `/_emulator` (fcp-api.md §12.1, §12.9). One request at a time changes the state;
 * before each request the state catches up with the clock.
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from "node:http";
import type { AddressInfo } from "node:net";
import * as z from "zod/mini";
import { parseCents } from "../backends/fcp/price.ts";
import { zodIssueText } from "../diagnostics/zod-issue.ts";
import { type ApiResponse, ROUTES } from "./api.ts";
import { type FaultRule, FaultRuleSchema, Faults } from "./faults.ts";
import {
  type BehaviourOptions,
  DEFAULT_BEHAVIOUR,
  type DurationOptions,
  type Fixtures,
  PROFILE_AUCTION_INTERVAL,
  PROFILES,
} from "./fixtures.ts";
import { ApiError, EmulatorState, isoTime } from "./state.ts";

const MAX_BODY = 1024 * 1024;

/** How to start an emulator. Every field has a default. */
export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Seed of every identifier and random decision (default 1). */
  seed?: number | string;
  /** Durations of the instance progression (default `fast`). */
  profile?: "fast" | "realistic";
  /** The API key to accept (default: one derived from the seed, or the fixtures' first key). */
  apiKey?: string;
  /** Initial data (already validated, see `loadFixturesFile`); default: the built-in catalog. */
  fixtures?: Fixtures;
  /**
   * `manual` (default): time starts at 2026-01-05T09:00:00Z (or the fixtures' `start_time`) and moves
   * only by `advance`; `wall`: it starts at the real time and follows it (`advance` adds to it).
   */
  clock?: "manual" | "wall";
  /** Behaviour switches, over the fixtures' `behaviour`. */
  behaviour?: Partial<BehaviourOptions>;
  /** Progression durations in seconds, over the profile and the fixtures' `durations`. */
  durations?: Partial<DurationOptions>;
  /** Called with unexpected errors (the request gets a 500). */
  onError?: (error: unknown) => void;
  /** Called once per `/v2` request with `METHOD /path?query → status` (never headers or bodies). */
  onRequest?: (line: string) => void;
}

/** Request counts, for tests that check what a client sent. */
export interface EmulatorStats {
  requests: number;
  by_route: Record<string, number>;
  faults_injected: number;
}

class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const PoolChangeSchema = z.strictObject({
  spot_price: z.optional(z.string()),
  capacity: z.optional(z.int().check(z.nonnegative())),
  floor_price: z.optional(z.string()),
});
export type PoolChange = z.infer<typeof PoolChangeSchema>;

const InstanceChangeSchema = z.strictObject({
  ssh_destination: z.optional(z.nullable(z.string())),
  private_ip: z.optional(z.nullable(z.string())),
});
export type InstanceChange = z.infer<typeof InstanceChangeSchema>;

function parseWith<T>(schema: z.ZodMiniType<T>, data: unknown): T {
  const parsed = z.safeParse(schema, data, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ControlError(400, zodIssueText(issue));
}

/** A running emulator: state, clock, faults, and the HTTP server around them. */
export class Emulator {
  readonly options: Readonly<EmulatorOptions>;
  readonly behaviour: BehaviourOptions;
  readonly durations: DurationOptions;
  state!: EmulatorState;
  faults!: Faults;
  stats!: EmulatorStats;
  #offset = 0;
  #wallStart = 0;
  #start = 0;
  #server: Server | undefined;

  constructor(options: EmulatorOptions = {}) {
    this.options = options;
    const profile = options.profile ?? "fast";
    const fixtures = options.fixtures ?? {};
    this.behaviour = {
      ...DEFAULT_BEHAVIOUR,
      auction_interval: PROFILE_AUCTION_INTERVAL[profile],
      ...stripUndefined(fixtures.behaviour ?? {}),
      ...stripUndefined(options.behaviour ?? {}),
    } as BehaviourOptions;
    this.durations = {
      ...PROFILES[profile],
      ...stripUndefined(fixtures.durations ?? {}),
      ...stripUndefined(options.durations ?? {}),
    } as DurationOptions;
    this.reset();
  }

  /** Back to the initial state (same seed, same fixtures); faults and counts cleared. */
  reset(): void {
    this.state = new EmulatorState({
      seed: this.options.seed ?? 1,
      fixtures: this.options.fixtures ?? {},
      behaviour: this.behaviour,
      durations: this.durations,
      ...(this.options.apiKey !== undefined ? { apiKey: this.options.apiKey } : {}),
      // A wall clock starts at the real time (timestamps then mean what they say); a manual one at a
      // fixed instant, so that runs are reproducible.
      ...(this.options.clock === "wall" ? { startTime: Math.floor(Date.now() / 1000) * 1000 } : {}),
    });
    this.faults = new Faults(this.options.seed ?? 1);
    this.stats = { requests: 0, by_route: {}, faults_injected: 0 };
    this.#offset = 0;
    this.#start = this.state.now;
    this.#wallStart = performance.now();
  }

  /** The clock's target time: start + advanced seconds (+ elapsed real time on a wall clock). */
  #target(): number {
    const wall = this.options.clock === "wall" ? Math.floor(performance.now() - this.#wallStart) : 0;
    return this.#start + this.#offset + wall;
  }

  /** Brings the state up to the clock (runs the timed events that are due). */
  sync(): void {
    this.state.advanceTo(this.#target());
  }

  /** The virtual time, ISO-8601. */
  now(): string {
    this.sync();
    return isoTime(this.state.now);
  }

  /** Moves the virtual clock forward and runs what became due. */
  advance(seconds: number): string {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new ControlError(400, "seconds: expected a number ≥ 0");
    this.#offset += Math.round(seconds * 1000);
    return this.now();
  }

  // ---- controls (also served under /_emulator) -----------------------------------------------

  pools() {
    this.sync();
    return [...this.state.pools.values()].map((p) => this.state.poolView(p));
  }

  /** Sets a pool's spot price (`"$12.00"`), total capacity and/or floor price; may allocate or preempt. */
  setPool(instanceType: string, region: string, change: PoolChange) {
    const parsed = parseWith(PoolChangeSchema, change);
    this.sync();
    const pool = this.state.pool(instanceType, region);
    if (!pool) throw new ControlError(404, `no pool for ${instanceType} in ${region}`);
    const cents = (text: string | undefined, name: string) => {
      if (text === undefined) return undefined;
      const value = parseCents(text);
      if (value === undefined) throw new ControlError(400, `${name}: expected a price such as "$10.00"`);
      return value;
    };
    const spot = cents(parsed.spot_price, "spot_price");
    const floor = cents(parsed.floor_price, "floor_price");
    this.state.setPool(pool, {
      ...(spot !== undefined ? { spotCents: spot } : {}),
      ...(floor !== undefined ? { floorCents: floor } : {}),
      ...(parsed.capacity !== undefined ? { total: parsed.capacity } : {}),
    });
    return this.state.poolView(pool);
  }

  addFaults(rules: FaultRule[]) {
    this.faults.add(rules.map((r) => parseWith(FaultRuleSchema, r)));
    return this.faults.list();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  #instance(fid: string) {
    this.sync();
    const inst = this.state.instance(fid);
    if (!inst) throw new ControlError(404, `no instance ${fid}`);
    return inst;
  }

  /** An instance as the API shows it, plus the startup script it was given (never exposed by /v2). */
  instance(fid: string) {
    const inst = this.#instance(fid);
    return {
      ...this.state.instanceModel(inst),
      end_time: inst.endTime === null ? null : isoTime(inst.endTime),
      startup_script: inst.startupScript,
    };
  }

  /** Overrides an instance's addresses (e.g. a local sshd as `127.0.0.1:2222`). */
  setInstance(fid: string, change: InstanceChange) {
    const parsed = parseWith(InstanceChangeSchema, change);
    const inst = this.#instance(fid);
    if (parsed.ssh_destination !== undefined) inst.sshDestination = parsed.ssh_destination;
    if (parsed.private_ip !== undefined) inst.privateIp = parsed.private_ip;
    return this.instance(fid);
  }

  failInstance(fid: string) {
    const inst = this.#instance(fid);
    if (["STATUS_TERMINATED", "STATUS_PREEMPTED", "STATUS_REPLACED"].includes(inst.status)) {
      throw new ControlError(409, `instance ${fid} is ${inst.status}; only a live instance can fail`);
    }
    this.state.failInstance(inst);
    return this.instance(fid);
  }

  powerOffInstance(fid: string) {
    const inst = this.#instance(fid);
    if (["STATUS_TERMINATED", "STATUS_PREEMPTED", "STATUS_REPLACED"].includes(inst.status)) {
      throw new ControlError(409, `instance ${fid} is ${inst.status}; only a live instance powers off`);
    }
    this.state.powerOffInstance(inst);
    return this.instance(fid);
  }

  relocateInstance(fid: string) {
    const inst = this.#instance(fid);
    if (inst.status !== "STATUS_RUNNING" && inst.status !== "STATUS_STARTING") {
      throw new ControlError(
        409,
        `instance ${fid} is ${inst.status}; only a starting or running instance relocates`,
      );
    }
    this.state.relocateInstance(inst);
    return this.instance(fid);
  }

  // ---- HTTP -------------------------------------------------------------------------------------

  /** Starts listening; resolves to the bound port. */
  async listen(): Promise<number> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((error) => {
        this.options.onError?.(error);
        if (!res.headersSent) send(res, 500, { detail: "Internal Server Error" });
      });
    });
    server.keepAliveTimeout = 5000;
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  /** Stops listening and closes open connections. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = (req.method ?? "GET").toUpperCase();
    if (body === undefined) return send(res, 413, { detail: "Request body too large" });
    if (url.pathname === "/_emulator" || url.pathname.startsWith("/_emulator/")) {
      return this.#control(method, url.pathname, body, res);
    }
    this.stats.requests++;
    const log = (outcome: string) =>
      this.options.onRequest?.(`${method} ${url.pathname}${url.search} → ${outcome}`);
    const fault = this.faults.pick(method, url.pathname);
    if (fault) this.stats.faults_injected = this.faults.injected;
    const delay = () => new Promise((resolve) => setTimeout(resolve, fault?.latencyMs ?? 0));
    if (fault?.latencyMs && fault.when === "before") await delay();
    if (fault?.when === "before" && (fault.drop || fault.status !== undefined)) {
      log(fault.drop ? "dropped (fault, not handled)" : `${fault.status} (fault, not handled)`);
      if (fault.drop) return void req.socket.destroy();
      return sendFault(res, fault.status!, fault.retryAfter);
    }
    const answer = this.#api(method, url, body, req.headers.authorization);
    // After handling, latency delays the answer of a request whose effect is already committed.
    if (fault?.latencyMs && fault.when === "after") await delay();
    if (fault?.when === "after" && (fault.drop || fault.status !== undefined)) {
      log(`${fault.drop ? "dropped" : fault.status} (fault, after handling: ${answer.status})`);
      if (fault.drop) return void req.socket.destroy();
      return sendFault(res, fault.status!, fault.retryAfter);
    }
    log(String(answer.status));
    send(res, answer.status, answer.body, answer.headers);
  }

  #api(
    method: string,
    url: URL,
    body: string,
    authorization: string | undefined,
  ): ApiResponse & { headers?: Record<string, string> } {
    const path = url.pathname;
    if (path.length > 1 && path.endsWith("/")) {
      // FastAPI's redirect_slashes.
      return { status: 307, headers: { location: `${path.replace(/\/+$/, "")}${url.search}` } };
    }
    let params: string[] | undefined;
    const route = ROUTES.find((r) => {
      const m = r.pattern.exec(path);
      if (m) params = m.slice(1).map(safeDecode);
      return m !== null;
    });
    if (!route || !params) return { status: 404, body: { detail: "Not Found" } };
    const handler = route.methods[method];
    if (!handler) {
      return {
        status: 405,
        body: { detail: "Method Not Allowed" },
        headers: { allow: Object.keys(route.methods).join(", ") },
      };
    }
    const routeName = `${method} ${route.path}`;
    this.stats.by_route[routeName] = (this.stats.by_route[routeName] ?? 0) + 1;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    const key = match ? this.state.apiKeys.find((k) => k.key === match[1]) : undefined;
    if (!key)
      return {
        status: 401,
        body: { detail: "Invalid credentials" },
        headers: { "www-authenticate": "Bearer" },
      };
    this.sync();
    try {
      return handler(this.state, { method, params, query: url.searchParams, body, key });
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: { detail: error.detail } };
      throw error;
    }
  }

  #control(method: string, path: string, body: string, res: ServerResponse): void {
    const parts = path.split("/").slice(2).map(safeDecode);
    let data: unknown = {};
    if (body.trim() !== "") {
      try {
        data = JSON.parse(body);
      } catch {
        send(res, 400, { detail: "the body is not JSON" });
        return;
      }
    }
    const record = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
    try {
      const out = this.#controlRoute(method, parts, record, data);
      send(res, out === undefined ? 204 : 200, out);
    } catch (error) {
      if (!(error instanceof ControlError)) throw error;
      send(res, error.status, { detail: error.message });
    }
  }

  #controlRoute(method: string, parts: string[], record: Record<string, unknown>, data: unknown): unknown {
    const [a, b, c, d] = parts;
    const is = (m: string, n: number) => method === m && parts.length === n;
    if (a === undefined || a === "") {
      if (method !== "GET") throw new ControlError(405, "Method Not Allowed");
      return this.summary();
    }
    if (a === "clock") {
      if (is("GET", 1)) return { now: this.now() };
      if (is("POST", 2) && b === "advance") {
        const seconds = record.seconds;
        if (typeof seconds !== "number") throw new ControlError(400, "seconds: expected a number ≥ 0");
        return { now: this.advance(seconds) };
      }
    }
    if (a === "reset" && is("POST", 1)) {
      this.reset();
      return { now: this.now() };
    }
    if (a === "stats" && is("GET", 1)) return this.stats;
    if (a === "pools") {
      if (is("GET", 1)) return this.pools();
      if ((is("POST", 3) || is("PATCH", 3)) && b !== undefined && c !== undefined) {
        return this.setPool(b, c, record as PoolChange);
      }
    }
    if (a === "faults") {
      if (is("GET", 1)) return { rules: this.faults.list() };
      if (is("DELETE", 1)) return void this.clearFaults();
      if (is("POST", 1)) {
        const rules = Array.isArray(data) ? data : record.rules;
        if (!Array.isArray(rules)) throw new ControlError(400, "rules: expected a list of fault rules");
        if (record.replace === true) this.clearFaults();
        return { rules: this.addFaults(rules as FaultRule[]) };
      }
    }
    if (a === "instances" && b !== undefined) {
      if (is("GET", 2)) return this.instance(b);
      if ((is("POST", 2) || is("PATCH", 2)) && d === undefined)
        return this.setInstance(b, record as InstanceChange);
      if (is("POST", 3) && c === "fail") return this.failInstance(b);
      if (is("POST", 3) && c === "poweroff") return this.powerOffInstance(b);
      if (is("POST", 3) && c === "relocate") return this.relocateInstance(b);
    }
    throw new ControlError(404, "Not Found");
  }

  /** What the emulator is: clock, project, profile, switches. */
  summary() {
    return {
      now: this.now(),
      seed: this.options.seed ?? 1,
      profile: this.options.profile ?? "fast",
      clock: this.options.clock ?? "manual",
      projects: this.state.projects.map((p) => ({ fid: p.fid, name: p.name })),
      behaviour: this.behaviour,
      durations: this.durations,
    };
  }
}

/** A path segment decoded; malformed escapes stay as they are (they then match nothing). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  // The client may be gone (it timed out, or the emulator closed while a delayed answer waited).
  if (res.destroyed || res.writableEnded) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function sendFault(res: ServerResponse, status: number, retryAfter: number | undefined): void {
  send(
    res,
    status,
    { detail: STATUS_CODES[status] ?? "Error" },
    retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {},
  );
}
