/**
 * The `/v2` routes of the FCP API (fcp-api.md §5) over an `EmulatorState`: request validation
 * (422), authorization to projects, referential checks (400/404), list shapes exactly as §3.4
 * tables them (bare arrays, or `{data, next_cursor}` for bids and instances) and working cursors.
 */
import { parseCents } from "../backends/fcp/price.ts";
import { isPublicKeyLine } from "./ssh-key.ts";
import {
  ApiError,
  type ApiKey,
  BID_STATUSES,
  type Bid,
  type EmulatorState,
  INSTANCE_STATUSES,
  type Instance,
  isoTime,
  type LaunchSpecification,
  type Project,
} from "./state.ts";
import {
  checkEnum,
  checkMaxLength,
  checkPattern,
  Issues,
  queryBool,
  queryEnum,
  queryEnumList,
  queryInt,
  queryList,
  queryString,
  readBool,
  readInt,
  readJsonObject,
  readObject,
  readString,
  readStringList,
} from "./validate.ts";

/** One authenticated request, routed. */
export interface ApiRequest {
  method: string;
  /** Path parameters in route order (e.g. the bid FID). */
  params: string[];
  query: URLSearchParams;
  body: string;
  key: ApiKey;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
}

type Handler = (state: EmulatorState, req: ApiRequest) => ApiResponse;

/** A route: its path template, the pattern compiled from it, and a handler per method. */
export interface Route {
  path: string;
  pattern: RegExp;
  methods: Record<string, Handler>;
}

const MAX_SCRIPT = 10_000;
const PRICE_HINT = 'a dollar amount such as "$10.00"';
const VOLUME_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const VOLUME_NAME_SOURCE = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
const MAX_VOLUME_GB = 32_000;

function fail(issues: Issues): never {
  throw new ApiError(422, issues.list);
}

function notFound(what: string): never {
  throw new ApiError(404, `${what} not found`);
}

function badRequest(message: string): never {
  throw new ApiError(400, message);
}

/** The project of a query or body: it must exist and the key must be allowed to use it. */
function project(state: EmulatorState, key: ApiKey, fid: string, status: 400 | 404): Project {
  const found = state.projects.find((p) => p.fid === fid);
  if (!found || !state.canUse(key, fid)) throw new ApiError(status, `Project ${fid} not found`);
  return found;
}

function visibleProjects(state: EmulatorState, key: ApiKey): Set<string> {
  return new Set(state.projects.filter((p) => state.canUse(key, p.fid)).map((p) => p.fid));
}

// ---- pagination (§3.5, §12.4 #17) -----------------------------------------------------------------

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** What a cursor is bound to: every query parameter except `limit` and `next_cursor`. */
function filterHash(query: URLSearchParams): string {
  const entries = [...query.entries()].filter(([k]) => k !== "limit" && k !== "next_cursor");
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return hash(JSON.stringify(entries));
}

/**
 * Reads `limit` and `next_cursor`. A cursor holds the position after the last item served and that
 * item's sequence number; when the list is ordered by creation time the page resumes after that item
 * wherever it now is, so bids created between two pages neither repeat nor vanish (also newest-first).
 */
function pageParams(
  query: URLSearchParams,
  issues: Issues,
): { offset: number; after?: number; limit: number } {
  const limit = queryInt(query, "limit", issues, { min: 1, max: 100 }) ?? 100;
  const cursor = query.get("next_cursor");
  if (cursor === null || cursor === "") return { offset: 0, limit };
  let decoded: { o?: unknown; h?: unknown; k?: unknown } | undefined;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const o = decoded?.o;
  const k = decoded?.k;
  if (
    typeof o !== "number" ||
    !Number.isInteger(o) ||
    o < 0 ||
    typeof decoded?.h !== "string" ||
    (k !== undefined && (typeof k !== "number" || !Number.isInteger(k)))
  ) {
    issues.valueError(["query", "next_cursor"], "invalid cursor", cursor);
    return { offset: 0, limit };
  }
  if (decoded.h !== filterHash(query)) {
    issues.valueError(["query", "next_cursor"], "the cursor belongs to a query with other filters", cursor);
  }
  return { offset: o, limit, ...(typeof k === "number" ? { after: k } : {}) };
}

function page<T extends { seq: number }>(
  items: T[],
  query: URLSearchParams,
  position: { offset: number; after?: number; limit: number },
  byCreation: boolean,
) {
  let start = position.offset;
  if (byCreation && position.after !== undefined) {
    const index = items.findIndex((item) => item.seq === position.after);
    if (index >= 0) start = index + 1;
  }
  const data = items.slice(start, start + position.limit);
  const end = start + data.length;
  const last = data.at(-1);
  const next_cursor =
    end < items.length && last
      ? Buffer.from(JSON.stringify({ o: end, k: last.seq, h: filterHash(query) })).toString("base64url")
      : null;
  return { data, next_cursor };
}

function sortItems<T extends { seq: number; createdAt: number }>(
  items: T[],
  by: string,
  dir: "asc" | "desc",
  keyOf: (item: T) => string,
): T[] {
  const sign = dir === "desc" ? -1 : 1;
  return items.sort((a, b) => {
    if (by !== "created_at") {
      const ka = keyOf(a);
      const kb = keyOf(b);
      if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
    }
    return (a.createdAt - b.createdAt || a.seq - b.seq) * sign;
  });
}

// ---- read-only resources --------------------------------------------------------------------------

const getProjects: Handler = (state, req) => ({
  status: 200,
  body: state.projects
    .filter((p) => state.canUse(req.key, p.fid))
    .map((p) => ({
      fid: p.fid,
      name: p.name,
      created_at: isoTime(p.createdAt),
    })),
});

const getMe: Handler = (state) => ({
  status: 200,
  body: {
    id: state.user.id,
    fid: state.user.fid,
    email: state.user.email,
    user_name: state.user.user_name,
    organization_id: state.user.organization_id,
    organization_role: "admin",
  },
});

const getInstanceTypes: Handler = (state) => ({
  status: 200,
  body: state.instanceTypes.map((t) => ({ ...t })),
});

/** No query parameters in OAS26; `instance_type` and `region` are honoured as a harmless extension (§11 #20). */
const getAvailability: Handler = (state, req) => {
  const type = req.query.get("instance_type");
  const region = req.query.get("region");
  const body = [...state.pools.values()]
    .filter((p) => (type === null || p.instanceType === type) && (region === null || p.region === region))
    .map((p) => state.auctionModel(p));
  return { status: 200, body };
};

const getCurrentPrice: Handler = (state, req) => {
  const issues = new Issues();
  const type = queryString(req.query, "instance_type", issues, true);
  const region = queryString(req.query, "region", issues);
  const quantity = queryInt(req.query, "instance_quantity", issues, { min: 1, max: 256 }) ?? 1;
  if (!issues.ok || type === undefined) fail(issues);
  const pools = [...state.pools.values()].filter(
    (p) => p.instanceType === type && (region === undefined || p.region === region),
  );
  if (pools.length === 0) notFound("Instance type");
  const pool = pools.sort((a, b) => a.spotCents - b.spotCents)[0]!;
  const auction = state.auctionModel(pool);
  const lowest = auction.lowest_allocated_price === null ? null : parseCents(auction.lowest_allocated_price)!;
  const win = state.behaviour.allocation === "strict" ? pool.spotCents + 1 : pool.spotCents;
  return {
    status: 200,
    body: {
      spot_price_cents: pool.spotCents * quantity,
      reserved_price_cents: null,
      minimum_price_cents: pool.floorCents * quantity,
      lowest_allocated_bid_cents: lowest,
      dynamic_win_price_cents: win * quantity,
      available_capacity: auction.capacity,
      total_capacity: pool.total,
    },
  };
};

// ---- SSH keys (§5.6) --------------------------------------------------------------------------------

const listSshKeys: Handler = (state, req) => {
  const issues = new Issues();
  const fid = queryString(req.query, "project", issues, true);
  if (!issues.ok || fid === undefined) fail(issues);
  project(state, req.key, fid, 404);
  return {
    status: 200,
    body: state.sshKeys.filter((k) => k.project === fid).map((k) => state.sshKeyModel(k)),
  };
};

const createSshKey: Handler = (state, req) => {
  const issues = new Issues();
  const body = readJsonObject(req.body, issues);
  if (!body) fail(issues);
  const projectFid = readString(body, "project", ["body"], issues, { required: true });
  const name = readString(body, "name", ["body"], issues, { required: true });
  const publicKey = readString(body, "public_key", ["body"], issues, { nullable: true });
  const required = readBool(body, "required", ["body"], issues);
  if (!issues.ok || typeof projectFid !== "string" || typeof name !== "string") fail(issues);
  project(state, req.key, projectFid, 400);
  if (typeof publicKey === "string" && !isPublicKeyLine(publicKey)) {
    badRequest("Invalid public key: expected an OpenSSH public key line such as `ssh-ed25519 AAAA… comment`");
  }
  const { key, privateKey } = state.createSshKey({
    name,
    project: projectFid,
    publicKey: typeof publicKey === "string" ? publicKey : null,
    required: required ?? false,
  });
  return { status: 201, body: { ...state.sshKeyModel(key), private_key: privateKey } };
};

function sshKeyOf(state: EmulatorState, req: ApiRequest) {
  const key = state.sshKeys.find((k) => k.fid === req.params[0]);
  if (!key || !state.canUse(req.key, key.project)) notFound("SSH key");
  return key;
}

const patchSshKey: Handler = (state, req) => {
  const issues = new Issues();
  const body = readJsonObject(req.body, issues);
  if (!body) fail(issues);
  const required = readBool(body, "required", ["body"], issues, { required: true });
  if (!issues.ok || typeof required !== "boolean") fail(issues);
  const key = sshKeyOf(state, req);
  key.required = required;
  return { status: 200, body: state.sshKeyModel(key) };
};

const deleteSshKey: Handler = (state, req) => {
  const key = sshKeyOf(state, req);
  const users = state.bidsUsingKey(key.fid);
  if (users.length > 0) {
    badRequest(
      `SSH key ${key.fid} is used by active bid(s) ${users.map((b) => b.fid).join(", ")}; cancel them first`,
    );
  }
  state.sshKeys.splice(state.sshKeys.indexOf(key), 1);
  return { status: 204 };
};

// ---- volumes (§5.7) ---------------------------------------------------------------------------------

const listVolumes: Handler = (state, req) => {
  const issues = new Issues();
  const fid = queryString(req.query, "project", issues, true);
  const region = queryString(req.query, "region", issues);
  const includeDeleted = queryBool(req.query, "include_deleted", issues) ?? false;
  if (!issues.ok || fid === undefined) fail(issues);
  project(state, req.key, fid, 404);
  const body = state.volumes
    .filter((v) => v.project === fid && (region === undefined || v.region === region))
    .filter((v) => includeDeleted || v.deletedAt === null)
    .map((v) => state.volumeModel(v));
  return { status: 200, body };
};

function volumeName(body: Record<string, unknown>, issues: Issues): string | undefined {
  const name = readString(body, "name", ["body"], issues, { required: true });
  if (typeof name !== "string") return undefined;
  const checked = checkMaxLength(name, 64, ["body", "name"], issues);
  return checked === undefined
    ? undefined
    : checkPattern(name, VOLUME_NAME, VOLUME_NAME_SOURCE, ["body", "name"], issues);
}

const createVolume: Handler = (state, req) => {
  const issues = new Issues();
  const body = readJsonObject(req.body, issues);
  if (!body) fail(issues);
  const name = volumeName(body, issues);
  const projectFid = readString(body, "project", ["body"], issues, { required: true });
  const iface = checkEnum(
    readString(body, "disk_interface", ["body"], issues, { required: true }),
    ["Block", "File"] as const,
    ["body", "disk_interface"],
    issues,
  );
  const region = readString(body, "region", ["body"], issues, { required: true });
  const size = readInt(body, "size_gb", ["body"], issues, { required: true, gt: 0, max: MAX_VOLUME_GB });
  if (
    !issues.ok ||
    !name ||
    typeof projectFid !== "string" ||
    !iface ||
    typeof region !== "string" ||
    typeof size !== "number"
  ) {
    fail(issues);
  }
  project(state, req.key, projectFid, 400);
  if (!state.regions().has(region)) badRequest(`Region not found: ${region}`);
  const volume = state.createVolume({ name, project: projectFid, region, sizeGb: size, interface: iface });
  return { status: 201, body: state.volumeModel(volume) };
};

function volumeOf(state: EmulatorState, req: ApiRequest) {
  const volume = state.volumes.find((v) => v.fid === req.params[0] && v.deletedAt === null);
  if (!volume || !state.canUse(req.key, volume.project)) notFound("Volume");
  return volume;
}

const patchVolume: Handler = (state, req) => {
  const issues = new Issues();
  const body = readJsonObject(req.body, issues);
  if (!body) fail(issues);
  const name = volumeName(body, issues);
  if (!issues.ok || !name) fail(issues);
  const volume = volumeOf(state, req);
  volume.name = name;
  return { status: 200, body: state.volumeModel(volume) };
};

const deleteVolume: Handler = (state, req) => {
  const volume = volumeOf(state, req);
  const users = state.bidsUsingVolume(volume.fid);
  if (users.length > 0) {
    badRequest(
      `Volume ${volume.fid} is in use by bid(s) ${users.map((b) => b.fid).join(", ")}; cancel them first`,
    );
  }
  volume.deletedAt = state.now;
  return { status: 204 };
};

// ---- spot bids (§5.8) -------------------------------------------------------------------------------

function readPrice(
  body: Record<string, unknown>,
  key: string,
  loc: (string | number)[],
  issues: Issues,
  required: boolean,
) {
  const text = readString(body, key, loc, issues, { required, nullable: !required });
  if (typeof text !== "string") return undefined;
  const cents = parseCents(text);
  if (cents === undefined) return issues.valueError([...loc, key], `${key} must be ${PRICE_HINT}`, text);
  if (cents <= 0) return issues.valueError([...loc, key], `${key} must be greater than $0.00`, text);
  return cents;
}

function readLaunchSpecification(
  state: EmulatorState,
  body: Record<string, unknown>,
  issues: Issues,
): LaunchSpecification | undefined {
  const spec = readObject(body, "launch_specification", ["body"], issues, { required: true });
  if (!spec) return undefined;
  const loc = ["body", "launch_specification"];
  const volumes = readStringList(spec, "volumes", loc, issues, { required: true });
  const sshKeys = readStringList(spec, "ssh_keys", loc, issues, { required: true });
  const script = readString(spec, "startup_script", loc, issues, { nullable: true });
  const cluster = readString(spec, "kubernetes_cluster", loc, issues, { nullable: true });
  const image = readString(spec, "image_version", loc, issues, { nullable: true });
  const memory = readInt(spec, "memory_gb", loc, issues, { nullable: true, min: 1 });
  if (typeof script === "string") {
    const scriptLoc = [...loc, "startup_script"];
    if (state.behaviour.script_limit) {
      const chars = [...script].length;
      const bytes = Buffer.byteLength(script, "utf8");
      if (chars > MAX_SCRIPT || bytes > MAX_SCRIPT) {
        issues.valueError(
          scriptLoc,
          `startup_script is ${chars} characters and ${bytes} bytes; the limit is ${MAX_SCRIPT}`,
          `${script.slice(0, 40)}…`,
        );
      }
    }
    if (state.behaviour.script_shebang && !script.startsWith("#!/bin/bash")) {
      issues.valueError(scriptLoc, "startup_script must start with #!/bin/bash", script.slice(0, 40));
    }
  }
  if (!volumes || !sshKeys) return undefined;
  return {
    volumes,
    ssh_keys: sshKeys,
    startup_script: script ?? null,
    kubernetes_cluster: cluster ?? null,
    image_version: image ?? null,
    memory_gb: memory ?? null,
  };
}

/** Volumes must exist in the project, not be deleted, and sit in the bid's region (§12.2 #12). */
function checkVolumes(state: EmulatorState, fids: string[], projectFid: string, region: string): void {
  for (const fid of fids) {
    const volume = state.volumes.find(
      (v) => v.fid === fid && v.deletedAt === null && v.project === projectFid,
    );
    if (!volume) badRequest(`Volume ${fid} not found in project ${projectFid}`);
    if (volume.region !== region) {
      badRequest(
        `Volume ${fid} is in region ${volume.region}; the bid is for ${region}: volumes must be in the bid's region`,
      );
    }
  }
}

const createBid: Handler = (state, req) => {
  const issues = new Issues();
  const body = readJsonObject(req.body, issues);
  if (!body) fail(issues);
  const projectFid = readString(body, "project", ["body"], issues, { required: true });
  const region = readString(body, "region", ["body"], issues, { required: true });
  const instanceType = readString(body, "instance_type", ["body"], issues, { required: true });
  if (typeof instanceType === "string" && !/^it_[A-Za-z0-9]+$/.test(instanceType)) {
    issues.valueError(
      ["body", "instance_type"],
      `instance_type must be an instance-type FID such as it_… (see GET /v2/instance-types), not a name`,
      instanceType,
    );
  }
  const limit = readPrice(body, "limit_price", ["body"], issues, true);
  const quantity = readInt(body, "instance_quantity", ["body"], issues, { required: true, min: 1 });
  const name = readString(body, "name", ["body"], issues, { required: true });
  const spec = readLaunchSpecification(state, body, issues);
  readString(body, "notification_email", ["body"], issues, { nullable: true });
  if (
    !issues.ok ||
    typeof projectFid !== "string" ||
    typeof region !== "string" ||
    typeof instanceType !== "string" ||
    limit === undefined ||
    typeof quantity !== "number" ||
    typeof name !== "string" ||
    !spec
  ) {
    fail(issues);
  }
  project(state, req.key, projectFid, 400);
  if (!state.regions().has(region)) badRequest(`Region not found: ${region}`);
  const pool = state.pool(instanceType, region);
  if (!pool) {
    const known = state.instanceTypes.some((t) => t.fid === instanceType);
    badRequest(
      known
        ? `Instance type ${instanceType} is not available in this region (${region})`
        : `Instance type ${instanceType} not found; it is not available in this region (${region})`,
    );
  }
  for (const fid of spec.ssh_keys) {
    if (!state.sshKeys.some((k) => k.fid === fid && k.project === projectFid)) {
      badRequest(`SSH key ${fid} not found in project ${projectFid}`);
    }
  }
  checkVolumes(state, spec.volumes, projectFid, region);
  if (
    state.behaviour.unique_bid_names &&
    state.bids.some((b) => b.project === projectFid && b.name === name && b.status !== "Terminated")
  ) {
    badRequest(
      `A bid named "${name}" already exists in project ${projectFid}; choose another name or cancel it`,
    );
  }
  const bid = state.createBid({
    project: projectFid,
    region,
    instanceType,
    limitCents: limit,
    quantity,
    name,
    spec,
  });
  const response = { status: 201, body: state.bidModel(bid) };
  state.evaluate(pool);
  return response;
};

function bidOf(state: EmulatorState, req: ApiRequest): Bid {
  const bid = state.bid(req.params[0] ?? "");
  if (!bid || !state.canUse(req.key, bid.project)) notFound("Bid");
  return bid;
}

const listBids: Handler = (state, req) => {
  const issues = new Issues();
  const projectFid = queryString(req.query, "project", issues);
  const type = queryString(req.query, "instance_type", issues);
  const region = queryString(req.query, "region", issues);
  const status = queryEnum(req.query, "status", BID_STATUSES, issues);
  const name = queryString(req.query, "name", issues);
  const sortBy = queryEnum(req.query, "sort_by", ["created_at", "status"] as const, issues) ?? "created_at";
  const sortDir = queryEnum(req.query, "sort_dir", ["asc", "desc"] as const, issues) ?? "asc";
  const position = pageParams(req.query, issues);
  if (!issues.ok) fail(issues);
  const allowed =
    projectFid === undefined
      ? visibleProjects(state, req.key)
      : new Set([project(state, req.key, projectFid, 404).fid]);
  const bids = state.bids.filter(
    (b) =>
      allowed.has(b.project) &&
      (type === undefined || b.instanceType === type) &&
      (region === undefined || b.region === region) &&
      (status === undefined || b.status === status) &&
      (name === undefined || b.name === name),
  );
  const sorted = sortItems(bids, sortBy, sortDir, (b) => b.status);
  const { data, next_cursor } = page(sorted, req.query, position, sortBy === "created_at");
  return { status: 200, body: { data: data.map((b) => state.bidModel(b)), next_cursor } };
};

const getBid: Handler = (state, req) => {
  if (!state.behaviour.single_bid_get) throw new ApiError(404, "Not Found");
  return { status: 200, body: state.bidModel(bidOf(state, req)) };
};

const getBidStatus: Handler = (state, req) => {
  const bid = bidOf(state, req);
  return { status: 200, body: { bid_fid: bid.fid, status: state.detailedStatus(bid) } };
};

const getBidHistory: Handler = (state, req) => ({ status: 200, body: state.historyModel(bidOf(state, req)) });

const patchBid: Handler = (state, req) => {
  const issues = new Issues();
  const body = readJsonObject(req.body, issues);
  if (!body) fail(issues);
  const limit = readPrice(body, "limit_price", ["body"], issues, false);
  const paused = readBool(body, "paused", ["body"], issues, { nullable: true });
  const volumes = readStringList(body, "volumes", ["body"], issues, { nullable: true });
  const memory = readInt(body, "memory_gb", ["body"], issues, { nullable: true, min: 1 });
  if (!issues.ok) fail(issues);
  // FastAPI validates the request before the handler looks anything up: 422 comes before 404.
  const bid = bidOf(state, req);
  if (bid.status === "Terminated") badRequest(`Bid ${bid.fid} is terminated and cannot be changed`);
  if (Array.isArray(volumes)) checkVolumes(state, volumes, bid.project, bid.region);
  if (typeof memory === "number") {
    if (!state.pool(bid.instanceType, bid.region)?.adjustableMemory) {
      badRequest(`Memory is not adjustable for instance type ${bid.instanceType} in ${bid.region}`);
    }
    state.setMemory(bid, memory);
  }
  if (Array.isArray(volumes)) state.setVolumes(bid, volumes);
  if (typeof limit === "number") state.setLimit(bid, limit);
  if (typeof paused === "boolean") state.setPaused(bid, paused);
  return { status: 200, body: state.bidModel(bid) };
};

const deleteBid: Handler = (state, req) => {
  state.terminateBid(bidOf(state, req));
  return { status: 204 };
};

// ---- instances (§5.9) ---------------------------------------------------------------------------------

const listInstances: Handler = (state, req) => {
  const issues = new Issues();
  const projectFid = queryString(req.query, "project", issues, true);
  const type = queryString(req.query, "instance_type", issues);
  const region = queryString(req.query, "region", issues);
  const statusIn = queryEnumList(req.query, "status_in", INSTANCE_STATUSES, issues);
  const orderTypes = queryEnumList(req.query, "order_type_in", ["Bid", "Reservation"] as const, issues);
  const bidFids = queryList(req.query, "bid_fid_in");
  const reservationFids = queryList(req.query, "reservation_fid_in");
  const sortBy =
    queryEnum(
      req.query,
      "sort_by",
      ["created_at", "instance_status", "instance_type_fid"] as const,
      issues,
    ) ?? "created_at";
  const sortDir = queryEnum(req.query, "sort_dir", ["asc", "desc"] as const, issues) ?? "asc";
  const position = pageParams(req.query, issues);
  if (!issues.ok || projectFid === undefined) fail(issues);
  project(state, req.key, projectFid, 404);
  const instances = state.instances.filter(
    (i) =>
      i.project === projectFid &&
      (type === undefined || i.instanceType === type) &&
      (region === undefined || i.region === region) &&
      (statusIn === undefined || statusIn.includes(i.status)) &&
      // Every emulated instance belongs to a spot bid; none to a reservation.
      (orderTypes === undefined || orderTypes.includes("Bid")) &&
      (bidFids === undefined || bidFids.includes(i.bid)) &&
      reservationFids === undefined,
  );
  const keyOf = (i: Instance) => (sortBy === "instance_status" ? i.status : i.instanceType);
  const sorted = sortItems(instances, sortBy, sortDir, keyOf);
  const { data, next_cursor } = page(sorted, req.query, position, sortBy === "created_at");
  return { status: 200, body: { data: data.map((i) => state.instanceModel(i)), next_cursor } };
};

/** `PATCH /v2/instances` pauses/resumes reserved instances only; spot instances answer 501 (§5.9). */
const patchInstances: Handler = (state, req) => {
  const issues = new Issues();
  const body = readJsonObject(req.body, issues);
  if (!body) fail(issues);
  const fids = readStringList(body, "instances", ["body"], issues, { required: true });
  checkEnum(
    readString(body, "status", ["body"], issues, { required: true }),
    ["STATUS_RUNNING", "STATUS_PAUSED"] as const,
    ["body", "status"],
    issues,
  );
  if (!issues.ok || !fids) fail(issues);
  for (const fid of fids) {
    const inst = state.instance(fid);
    if (!inst || !state.canUse(req.key, inst.project)) notFound(`Instance ${fid}`);
  }
  throw new ApiError(
    501,
    "Changing the status of spot instances is not supported; pause or resume the bid instead",
  );
};

const getInstanceStatus: Handler = (state, req) => {
  const inst = state.instance(req.params[0] ?? "");
  if (!inst || !state.canUse(req.key, inst.project)) notFound("Instance");
  return {
    status: 200,
    body: {
      fid: inst.fid,
      name: inst.name,
      status: inst.status,
      bid: inst.bid,
      reservation: null,
      end_time: inst.endTime === null ? null : isoTime(inst.endTime),
    },
  };
};

/** Every `/v2` route the emulator serves, as path templates (`{fid}` = one segment). Others answer 404. */
const ROUTE_TABLE: readonly [string, Record<string, Handler>][] = [
  ["/v2/projects", { GET: getProjects }],
  ["/v2/me", { GET: getMe }],
  ["/v2/instance-types", { GET: getInstanceTypes }],
  ["/v2/spot/availability", { GET: getAvailability }],
  ["/v2/pricing/current", { GET: getCurrentPrice }],
  ["/v2/ssh-keys", { GET: listSshKeys, POST: createSshKey }],
  ["/v2/ssh-keys/{fid}", { PATCH: patchSshKey, DELETE: deleteSshKey }],
  ["/v2/volumes", { GET: listVolumes, POST: createVolume }],
  ["/v2/volumes/{fid}", { PATCH: patchVolume, DELETE: deleteVolume }],
  ["/v2/spot/bids", { GET: listBids, POST: createBid }],
  ["/v2/spot/bids/{fid}", { GET: getBid, PATCH: patchBid, DELETE: deleteBid }],
  ["/v2/spot/bids/{fid}/status", { GET: getBidStatus }],
  ["/v2/spot/bids/{fid}/history", { GET: getBidHistory }],
  ["/v2/instances", { GET: listInstances, PATCH: patchInstances }],
  ["/v2/instances/{fid}/status", { GET: getInstanceStatus }],
];

export const ROUTES: readonly Route[] = ROUTE_TABLE.map(([path, methods]) => ({
  path,
  pattern: new RegExp(`^${path.replace(/\{fid\}/g, "([^/]+)")}$`),
  methods,
}));
