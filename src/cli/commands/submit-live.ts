/**
 * Live submission, shared by `flow run`, `flow slurm submit` and `flow submitit submit`:
 *
 * 1. read the live catalog (`GET /v2/instance-types` joined with `GET /v2/spot/availability`) and
 *    compile against it, so FIDs and regions are the API's of today;
 * 2. choose the region: the cheapest one whose auction has capacity for the bid's instances (among
 *    the regions offering the same instance type), unless the job fixes `region`; no capacity
 *    anywhere is an error unless `--queue` (the bid then waits, Open, in the cheapest region);
 * 3. resolve SSH key names to FIDs and create the volumes that do not exist yet;
 * 4. give every bid a unique name (`<name>-<6 random chars>[-<array id>]`): the name is how the
 *    client finds a bid after an ambiguous failure, so it must not match an older submission;
 * 5. place the bid(s) — a job array at most `max_running` at once, the rest queued in
 *    `~/.flow/arrays/` and placed by `flow status` as earlier tasks end (arrays.ts);
 * 6. print each task with its price; `--wait` waits until its instances run.
 *
 * `--dry-run` stops before 3's side effects and prints the plan. A 422 from the API is shown at the
 * source line the rejected field came from, when it came from one.
 */

import { randomBytes } from "node:crypto";
import type { FcpClient } from "../../api/client.ts";
import { NoCapacityError, ValidationError } from "../../api/errors.ts";
import type { BidModel, CreateBidBody, InstanceModel } from "../../api/models.ts";
import type { BidRequest } from "../../backends/fcp/bid.ts";
import type { AuctionModel, Catalog } from "../../backends/fcp/catalog/index.ts";
import type { CodeArchive } from "../../backends/fcp/code/archive.ts";
import { formatCents, parseCents } from "../../backends/fcp/price.ts";
import type { FlowConfig } from "../../config/config.ts";
import { countText } from "../../diagnostics/count.ts";
import { type Diagnostic, diagnostic, hasErrors, promoteWarnings } from "../../diagnostics/diagnostic.ts";
import { diagnosticToJson, redactText, renderDiagnostics } from "../../diagnostics/render.ts";
import type { InputFormat } from "../../frontends/detect.ts";
import { type SpanMap, spanAt } from "../../ir/span-map.ts";
import type { CompileOptions, CompileResult } from "../../pipeline.ts";
import { createSourceFile } from "../../source/source-file.ts";
import { loadCatalogOption } from "../catalog-option.ts";
import { compileWithCodeArchive } from "../compile-lazy.ts";
import { type CliIo, EXIT, UsageError, useColor } from "../io.ts";
import { type ArrayQueue, placeFromQueue, queueArray, queueHeldError, withQueueLock } from "./arrays.ts";
import { codeRoot, parseScriptLimit } from "./compile.ts";
import {
  configSecrets,
  formatDuration,
  liveCatalog,
  openRemote,
  parseSeconds,
  type Remote,
  type RemoteFlags,
  readConfig,
  reportApiError,
  table,
} from "./remote.ts";

export interface SubmitFlags extends RemoteFlags {
  dryRun?: boolean;
  /** Place the bid even when no region has capacity now (it waits, Open). */
  queue?: boolean;
  /** Wait until every instance runs (and the code is uploaded). */
  wait?: boolean;
  json?: boolean;
  strict?: boolean;
  catalog?: string;
  scriptLimit?: string;
  /** Seconds between polls while waiting (default 5). */
  pollInterval?: string;
  /** Give up waiting after this many seconds (default 1200, the vendor's 20 minutes). */
  waitTimeout?: string;
  /** The project folder packed for `upload_code` (default: the working directory). */
  codeDir?: string;
  /** Where the uploader writes the archive on the instance (default: the script's UPLOAD_PATH). */
  uploadPath?: string;
  /** SSH login for the code upload (default: `ssh_user` setting, else `ubuntu`). */
  sshUser?: string;
  sshIdentity?: string;
  sshOption?: string[];
}

/** What to compile. */
export interface SubmitInput {
  readonly text: string;
  readonly filename: string;
  readonly options: CompileOptions;
}

/** One auction the bid could go to. */
interface Offer {
  readonly fid: string;
  readonly name: string;
  readonly region: string;
  readonly cents: number | undefined;
  readonly capacity: number;
}

/** The submission, decided: bids with their final names, regions and volumes. */
interface Plan {
  readonly result: CompileResult;
  readonly bids: CreateBidBody[];
  readonly offer: Offer;
  readonly offers: readonly Offer[];
  readonly volumesToCreate: readonly { name: string; size_gb: number; interface: "Block" | "File" }[];
  readonly maxRunning: number | undefined;
  readonly live: boolean;
  readonly catalogSource: string;
  /** The bids' limit price in cents. */
  readonly limitCents: number;
  /** The code archive, when it travels by SSH after boot (too large for the script). */
  readonly upload: CodeArchive | undefined;
}

const SSH_KEY_FID = /^sshkey_[A-Za-z0-9]+$/;

/** Six random lowercase letters and digits: the per-submission part of bid names. */
export function submissionSuffix(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** The span map of the job's source (re-read: the compile result does not keep it). */
async function sourceSpans(input: SubmitInput, format: InputFormat | undefined): Promise<SpanMap> {
  const file = createSourceFile(input.filename, input.text);
  if (format === "yaml") return (await import("../../frontends/yaml/lower.ts")).lowerYaml(file).spans;
  if (format === "slurm")
    return (await import("../../frontends/slurm/lower.ts")).lowerSlurm(file, input.options.slurm ?? {}).spans;
  return new Map();
}

/** The IR path a bid field (a 422 `loc` after `body`) came from; undefined for none. */
export function irPathOfBidField(loc: readonly (string | number)[]): (string | number)[] | undefined {
  const [head, second, third] = loc;
  switch (head) {
    case "limit_price":
      return ["max_price_per_hour"];
    case "instance_type":
      return ["instance_type"];
    case "region":
      return ["region"];
    case "instance_quantity":
      return ["num_instances"];
    case "name":
      return ["name"];
    case "launch_specification":
      if (second === "ssh_keys") return third === undefined ? ["ssh_keys"] : ["ssh_keys", third];
      if (second === "volumes") return ["volumes"];
      return undefined;
    default:
      return undefined;
  }
}

/** A 422 on a bid, as diagnostics at the source lines the rejected fields came from. */
async function validationDiagnostics(input: SubmitInput, result: CompileResult, error: ValidationError) {
  const spans = await sourceSpans(input, result.format);
  const fields = error.fields.length > 0 ? error.fields : [{ loc: [], msg: error.message, type: "" }];
  return fields.map((field) => {
    const loc = field.loc[0] === "body" ? field.loc.slice(1) : field.loc;
    const path = irPathOfBidField(loc);
    const span = path ? (spanAt(spans, path) ?? undefined) : undefined;
    return diagnostic(
      "API001",
      `the API rejected the bid's \`${loc.join(".") || "body"}\`: ${field.msg}`,
      span,
      {
        notes: span
          ? []
          : [{ message: "this field is not written in the job file; it comes from flow or its options" }],
      },
    );
  });
}

function offersFor(plan: {
  result: CompileResult;
  catalog: Catalog;
  auctions: readonly AuctionModel[];
}): Offer[] {
  const bid = plan.result.bids[0]!;
  const ir = plan.result.ir!;
  const entry = plan.catalog.instanceTypes.find((e) => e.fid === bid.instance_type);
  const sameType = plan.catalog.instanceTypes.filter((e) =>
    ir.instance_type?.startsWith("it_") ? e.fid === bid.instance_type : e.name === entry?.name,
  );
  const out: Offer[] = [];
  for (const e of sameType) {
    for (const a of plan.auctions) {
      if (a.instance_type !== e.fid) continue;
      if (ir.region !== undefined && a.region !== ir.region) continue;
      out.push({
        fid: e.fid,
        name: e.name,
        region: a.region,
        cents: parseCents(a.last_instance_price),
        capacity: a.capacity,
      });
    }
  }
  return out.sort(
    (a, b) =>
      (a.cents ?? Number.MAX_SAFE_INTEGER) - (b.cents ?? Number.MAX_SAFE_INTEGER) ||
      (a.region < b.region ? -1 : a.region > b.region ? 1 : 0),
  );
}

/**
 * The cheapest offer that can allocate now: capacity for `needed` instances (quantity × the bids
 * placed at once) and a limit price above its spot price (allocation needs limit > spot, spec §6.1,
 * §11). None → NoCapacityError, unless `queue`: then the cheapest, flagged `waits`.
 */
export function chooseOffer(
  offers: readonly Offer[],
  needed: number,
  queue: boolean,
  region?: string,
  limitCents?: number,
): Offer & { waits?: true } {
  const priced = (o: Offer) => limitCents === undefined || o.cents === undefined || limitCents > o.cents;
  const fits = offers.find((o) => o.capacity >= needed && priced(o));
  if (fits) return fits;
  if (queue && offers[0]) return { ...offers[0], waits: true };
  const limit = limitCents === undefined ? "" : formatCents(limitCents);
  const where = offers
    .map(
      (o) =>
        `${o.region}: ${o.capacity} free${limit && o.cents !== undefined ? `, spot ${formatCents(o.cents)}${priced(o) ? "" : ` ≥ limit ${limit}`}` : ""}`,
    )
    .join(", ");
  const type = offers[0]?.name ?? "the instance type";
  throw new NoCapacityError(
    `no capacity: ${needed} × ${type} are not available ${region ? `in ${region}` : "in any region"} now${limit ? ` at the limit ${limit}` : ""}${where ? ` (${where})` : ""}`,
    [
      "add --queue to place the bid anyway: it stays Open and starts when capacity frees up and the spot price falls below the limit",
      region
        ? "remove `region` to let flow choose any region with capacity"
        : "choose another instance type (`flow instance-types --live`), or raise max_price_per_hour",
    ],
  );
}

/**
 * The regions the job's existing volumes allow: undefined when no volume of the job exists yet;
 * a problem when they are in different regions, or not in the job's region.
 */
async function volumeRegions(
  remote: Remote | undefined,
  project: string | undefined,
  input: SubmitInput,
  result: CompileResult,
): Promise<{ regions?: Set<string>; problem?: Diagnostic }> {
  const ir = result.ir!;
  const wanted = ir.volumes ?? [];
  if (!remote || !project || wanted.length === 0) return {};
  const all = (await remote.client.listVolumes({ project })).filter((v) => !v.deleted_at);
  let regions: Set<string> | undefined;
  const where: string[] = [];
  for (const v of wanted) {
    const found = all.filter((e) => (v.volume_id !== undefined ? e.fid === v.volume_id : e.name === v.name));
    if (found.length === 0) continue;
    const here = new Set(found.map((e) => e.region));
    where.push(`\`${v.name ?? v.volume_id}\` in ${[...here].join(" and ")}`);
    regions = regions ? new Set([...regions].filter((r) => here.has(r))) : here;
  }
  if (regions && ir.region !== undefined) regions = new Set([...regions].filter((r) => r === ir.region));
  if (regions && regions.size === 0) {
    const spans = await sourceSpans(input, result.format);
    return {
      problem: diagnostic(
        "API003",
        ir.region !== undefined
          ? `the job's region is ${ir.region}, but its volumes are elsewhere: ${where.join(", ")}`
          : `the job's volumes are in different regions (${where.join(", ")}): an instance attaches volumes of its own region only`,
        spanAt(spans, ["volumes"]) ?? undefined,
        {
          suggestions: [
            {
              message:
                "use volumes of one region (`flow volumes list`), or set `region` to where they are; flow never creates a second volume of the same name",
            },
          ],
        },
      ),
    };
  }
  return regions ? { regions } : {};
}

function bidBody(
  bid: BidRequest,
  project: string,
  name: string,
  offer: Offer,
  volumes: readonly string[],
  keys: readonly string[],
): CreateBidBody {
  return {
    project,
    region: offer.region,
    instance_type: offer.fid,
    limit_price: bid.limit_price,
    instance_quantity: bid.instance_quantity,
    name,
    launch_specification: {
      volumes: [...volumes],
      ssh_keys: [...keys],
      startup_script: bid.launch_specification.startup_script,
    },
  };
}

/** Renders diagnostics on stderr. */
function showDiagnostics(io: CliIo, result: CompileResult, diagnostics: readonly Diagnostic[]): void {
  io.stderr(renderDiagnostics(result.source, diagnostics, { color: useColor(io) }));
}

interface Resolved {
  readonly volumes: string[];
  readonly keys: string[];
  readonly create: { name: string; size_gb: number; interface: "Block" | "File" }[];
  readonly problems: Diagnostic[];
}

/** SSH key names → FIDs; volumes by name → FIDs or "to create". Problems point at the source. */
async function resolveReferences(
  remote: Remote | undefined,
  project: string | undefined,
  region: string,
  input: SubmitInput,
  result: CompileResult,
  extraKeys: readonly string[],
): Promise<Resolved> {
  const ir = result.ir!;
  const problems: Diagnostic[] = [];
  let spans: SpanMap | undefined;
  const spanOf = async (path: (string | number)[]) => {
    spans ??= await sourceSpans(input, result.format);
    return spanAt(spans, path);
  };
  const keys: string[] = [];
  const wanted = [
    ...(ir.ssh_keys ?? []).map((k, i) => ({ key: k, path: ["ssh_keys", i] })),
    ...extraKeys.map((k) => ({ key: k, path: [] })),
  ];
  const named = wanted.filter((w) => !SSH_KEY_FID.test(w.key));
  const known = remote && project && named.length > 0 ? await remote.client.listSshKeys(project) : [];
  for (const w of wanted) {
    if (SSH_KEY_FID.test(w.key) || !remote) {
      keys.push(w.key);
      continue;
    }
    const match = known.find((k) => k.name === w.key);
    if (match) keys.push(match.fid);
    else
      problems.push(
        diagnostic(
          "API002",
          `no SSH key named \`${w.key}\` in the project`,
          w.path.length ? await spanOf(w.path) : undefined,
          {
            suggestions: [
              {
                message:
                  known.length > 0
                    ? `the project's keys: ${known.map((k) => `${k.name} (${k.fid})`).join(", ")}`
                    : "the project has no SSH keys: add one in the console",
              },
            ],
          },
        ),
      );
  }
  const volumes: string[] = [];
  const create: Resolved["create"] = [];
  const existing =
    remote && project && (ir.volumes ?? []).some((v) => v.volume_id === undefined)
      ? (await remote.client.listVolumes({ project })).filter((e) => !e.deleted_at)
      : [];
  for (const [i, v] of (ir.volumes ?? []).entries()) {
    if (v.volume_id !== undefined) {
      volumes.push(v.volume_id);
      continue;
    }
    const name = v.name!;
    const found = existing.find((e) => e.name === name && e.region === region);
    const elsewhere = existing.find((e) => e.name === name);
    if (found) volumes.push(found.fid);
    else if (elsewhere) {
      // never a second volume of the same name: the region was chosen where the volume is
      problems.push(
        diagnostic(
          "API003",
          `the volume \`${name}\` is in ${elsewhere.region}, not in ${region}`,
          await spanOf(["volumes", i]),
        ),
      );
    } else if (v.size_gb !== undefined) {
      create.push({ name, size_gb: v.size_gb, interface: v.interface === "file" ? "File" : "Block" });
    } else if (remote) {
      problems.push(
        diagnostic(
          "API002",
          `no volume named \`${name}\` in ${region}, and no \`size_gb\` to create it`,
          await spanOf(["volumes", i]),
          {
            suggestions: [
              {
                message:
                  "add `size_gb` to create it, or use `volume_id` of an existing volume (`flow volumes list`)",
              },
            ],
          },
        ),
      );
    }
  }
  return { volumes, keys, create, problems };
}

/** The flags' parsed values and the configuration, read once per submission. */
interface Settings {
  readonly scriptLimit: number | undefined;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly config: FlowConfig;
  /** The API key wherever the configuration found it: never printed, packed or put in a task. */
  readonly secrets: readonly string[];
}

/** Compiles, plans and (unless --dry-run) places the bids. Returns the exit code. */
export async function submitLive(
  raw: CliIo,
  input: SubmitInput,
  flags: SubmitFlags,
  extra: { sshKeys?: readonly string[]; requireSshKey?: boolean } = {},
): Promise<number> {
  // Every flag is checked before anything is compiled or placed: a bad --poll-interval must not
  // surface only after the bids exist.
  const scriptLimit = parseScriptLimit(flags.scriptLimit);
  const intervalMs = parseSeconds(flags.pollInterval, "--poll-interval", { fallbackMs: 5000 });
  const timeoutMs = parseSeconds(flags.waitTimeout, "--wait-timeout", {
    fallbackMs: 1_200_000,
    bounded: false,
  });
  const config = await readConfig(raw, flags);
  // Nothing this command prints may show the key — not even a job file that (wrongly) holds it.
  const secrets = configSecrets(raw.env, config);
  const settings: Settings = { scriptLimit, intervalMs, timeoutMs, config, secrets };
  const io: CliIo = {
    ...raw,
    stdout: (text) => raw.stdout(redactText(text, secrets)),
    stderr: (text) => raw.stderr(redactText(text, secrets)),
  };
  const offline = config.apiKey === undefined;
  if (offline && !flags.dryRun) {
    throw new UsageError(
      "no API key: run `flow init --api-key fkey_…`, or set FLOW_API_KEY (`--dry-run` works without one)",
    );
  }
  const remote = offline ? undefined : await openRemote(io, flags, config);
  try {
    return await submitWith(io, input, flags, extra, remote, settings);
  } catch (error) {
    const { ApiError } = await import("../../api/errors.ts");
    if (error instanceof ApiError) {
      reportApiError(io, error);
      return EXIT.remote;
    }
    throw error;
  } finally {
    await remote?.close();
  }
}

async function submitWith(
  io: CliIo,
  input: SubmitInput,
  flags: SubmitFlags,
  extra: { sshKeys?: readonly string[]; requireSshKey?: boolean },
  remote: Remote | undefined,
  settings: Settings,
): Promise<number> {
  let catalog: Catalog;
  let auctions: readonly AuctionModel[];
  let project: string | undefined;
  if (remote) {
    project = await remote.project();
    ({ catalog, auctions } = await liveCatalog(remote.client));
  } else {
    catalog = await loadCatalogOption(io, flags.catalog);
    auctions = catalog.instanceTypes.flatMap((e) =>
      e.regions.map((region) => ({
        fid: "",
        instance_type: e.fid,
        region,
        capacity: Number.MAX_SAFE_INTEGER,
        last_instance_price: e.last_instance_price?.[region] ?? "$0.00",
      })),
    );
    project = settings.config.project;
  }
  const { scriptLimit } = settings;
  const { result, archive } = await compileWithCodeArchive(
    input.text,
    {
      ...input.options,
      filename: input.filename,
      catalog,
      ...(project !== undefined ? { project } : {}),
      ...(scriptLimit !== undefined ? { scriptLimit } : {}),
    },
    // The API key is refused in the task (FCP018) and in any packed file (FCP009), wherever the
    // configuration found it.
    await codeRoot(io, flags.codeDir, settings.secrets),
  );
  // What live submission itself takes care of: the region (chosen below), the project, SSH key
  // names (resolved below) and an array's %N (queued below). The compiler's FCP002, FCP005, FCP016
  // and FCP017 would only contradict what follows — and must not fail --strict, which is therefore
  // applied here, after them.
  const superseded = (d: Diagnostic) =>
    (d.code === "FCP005" && project !== undefined) ||
    (remote !== undefined && d.code === "FCP002") ||
    (remote !== undefined && d.code === "FCP017") ||
    d.code === "FCP016";
  const kept = result.diagnostics.filter((d) => !superseded(d));
  const diagnostics = flags.strict ? promoteWarnings(kept) : kept;
  if (!flags.json) showDiagnostics(io, result, diagnostics);
  if (!result.ok || hasErrors(diagnostics) || !result.ir || result.bids.length === 0) {
    if (flags.json)
      io.stdout(
        `${JSON.stringify({ ok: false, diagnostics: diagnostics.map((d) => diagnosticToJson(result.source, d)) }, null, 2)}\n`,
      );
    return EXIT.diagnostics;
  }
  const ir = result.ir;
  const quantity = result.bids[0]!.instance_quantity;
  // the instances placed now: every bid, or an array's first N
  const atOnce = Math.min(ir.array?.max_running ?? result.bids.length, result.bids.length);
  const limit = compiledCents(result.bids[0]!.limit_price);
  const fromVolumes = await volumeRegions(remote, project, input, result);
  if (fromVolumes.problem) {
    showDiagnostics(io, result, [fromVolumes.problem]);
    return EXIT.diagnostics;
  }
  const allowed = fromVolumes.regions;
  const offers = offersFor({ result, catalog, auctions }).filter((o) => !allowed || allowed.has(o.region));
  const chosen = remote
    ? chooseOffer(
        offers,
        quantity * atOnce,
        flags.queue === true,
        ir.region ?? (allowed ? [...allowed].join(" or ") : undefined),
        limit,
      )
    : (offers.find((o) => o.region === result.bids[0]!.region) ?? offers[0]!);
  const waits = (chosen as { waits?: true }).waits === true;
  const offer = offers.find((o) => o.fid === chosen.fid && o.region === chosen.region) ?? chosen;
  if (waits && !flags.json)
    io.stderr(
      `flow: warning: no region${allowed ? ` where the job's volumes are` : ""} can allocate ${quantity * atOnce} × ${offer.name} at the limit ${result.bids[0]!.limit_price} now; --queue: the bid waits (Open) in ${offer.region}\n`,
    );

  const refs = await resolveReferences(remote, project, offer.region, input, result, extra.sshKeys ?? []);
  if (refs.problems.length > 0) {
    showDiagnostics(io, result, refs.problems);
    return EXIT.diagnostics;
  }
  if (extra.requireSshKey && remote && refs.keys.length === 0) {
    const all = await remote.client.listSshKeys(project!);
    if (all.length === 0)
      throw new UsageError(
        "an interactive instance needs an SSH key, and the project has none: add one in the console, then pass --ssh-keys NAME",
      );
    refs.keys.push(...all.map((k) => k.fid));
  }
  const suffix = submissionSuffix();
  const ids = ir.array?.task_ids;
  const bids = result.bids.map((bid, i) =>
    bidBody(
      bid,
      project ?? "",
      ids ? `${ir.name}-${suffix}-${ids[i]}` : `${ir.name}-${suffix}`,
      offer,
      refs.volumes,
      refs.keys,
    ),
  );
  const plan: Plan = {
    result,
    bids,
    offer,
    offers,
    volumesToCreate: refs.create,
    maxRunning: ir.array?.max_running,
    live: remote !== undefined,
    catalogSource: catalog.source,
    limitCents: limit,
    upload: result.startupScripts.some((sc) => sc.code?.mode === "upload") ? archive : undefined,
  };
  if (plan.upload && plan.maxRunning !== undefined && bids.length > plan.maxRunning) {
    // queued array tasks are placed later by `flow status`, which has no archive to upload
    throw new UsageError(
      `the code travels by upload after boot, and queued array tasks (%${plan.maxRunning}) are placed later by \`flow status\`, which cannot upload it: make the code fit the script (a .flowignore), set \`upload_code: false\`, or submit without the %N limit`,
    );
  }
  if (flags.dryRun) {
    io.stdout(flags.json ? `${JSON.stringify(planJson(plan), null, 2)}\n` : planText(plan));
    return EXIT.ok;
  }
  return place(io, input, flags, remote!, project!, plan, settings);
}

/** Why the region: `region us-central1-b: the cheapest with capacity for 1 (also us-central1-a $10.00, 11 free)`. */
function regionText(plan: Plan): string {
  const others = plan.offers.filter((o) => o !== plan.offer);
  const also = others.map(
    (o) => `${o.region} ${o.cents === undefined ? "?" : formatCents(o.cents)}, ${o.capacity} free`,
  );
  const q = plan.bids[0]!.instance_quantity;
  const now = q * Math.min(plan.maxRunning ?? plan.bids.length, plan.bids.length);
  const allocates =
    plan.offer.capacity >= now && (plan.offer.cents === undefined || plan.limitCents > plan.offer.cents);
  const why = allocates
    ? `the cheapest with capacity for ${now}`
    : "the cheapest (no region has capacity now; --queue)";
  return `region ${plan.offer.region}: ${why}${also.length > 0 ? ` (also ${also.join("; ")})` : ""}`;
}

/** A limit price the compiler wrote (`formatCents`): always `$D.CC`, else flow has a bug. */
function compiledCents(price: string): number {
  const cents = parseCents(price);
  if (cents === undefined) throw new Error(`the compiled limit price ${price} is not a dollar amount`);
  return cents;
}

function planJson(plan: Plan): unknown {
  const ir = plan.result.ir!;
  return {
    live: plan.live,
    catalog: plan.catalogSource,
    instance_type: { name: plan.offer.name, fid: plan.offer.fid },
    region: plan.offer.region,
    regions: plan.offers.map((o) => ({
      region: o.region,
      fid: o.fid,
      price: o.cents === undefined ? null : formatCents(o.cents),
      capacity: plan.live ? o.capacity : null,
    })),
    instances_per_bid: plan.bids[0]!.instance_quantity,
    bids: plan.bids.length,
    max_running: plan.maxRunning ?? null,
    hours: ir.max_run_time_hours ?? null,
    spot_price: plan.offer.cents === undefined ? null : formatCents(plan.offer.cents),
    limit_price: plan.bids[0]!.limit_price,
    volumes_to_create: plan.volumesToCreate,
    // exactly what would be posted (a placement draws a fresh name suffix)
    bid_requests: plan.bids,
    startup_scripts: plan.result.startupScripts.map((s, i) => ({
      bid: plan.bids[i]!.name,
      bytes: s.bytes,
      chars: s.chars,
      limit: s.limit,
    })),
  };
}

function money(cents: number): string {
  return `$${(cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function planText(plan: Plan): string {
  const ir = plan.result.ir!;
  const q = plan.bids[0]!.instance_quantity;
  const n = plan.bids.length;
  const hours = ir.max_run_time_hours;
  const limit = plan.limitCents;
  const lines: string[] = [];
  lines.push(
    `plan for \`${ir.name}\` — nothing placed (${plan.live ? `live prices and capacity from ${plan.catalogSource.replace(/^live: /, "")}` : `offline: ${plan.catalogSource}, last known prices`})`,
  );
  lines.push(
    `  instance type   ${plan.offer.name} (${plan.offer.fid}) × ${q} instance${q === 1 ? "" : "s"}${n > 1 ? ` per bid, ${n} bids` : ""}`,
  );
  if (plan.maxRunning !== undefined && n > 1)
    lines.push(`  array           at most ${plan.maxRunning} bid(s) placed at once (%${plan.maxRunning})`);
  const others = plan.offers.filter((o) => o !== plan.offer);
  const why =
    ir.region !== undefined
      ? "set by the job"
      : plan.live
        ? `cheapest with capacity for ${q}`
        : "chosen by the compiler";
  lines.push(`  region          ${plan.offer.region} (${why})`);
  if (others.length > 0)
    lines.push(
      `  other regions   ${others.map((o) => `${o.region} ${o.cents === undefined ? "?" : formatCents(o.cents)}${plan.live ? ` (${o.capacity} free)` : ""}`).join(", ")}`,
    );
  const spot = plan.offer.cents;
  const perHour = (cents: number) => cents * q * n;
  if (hours !== undefined) {
    const cost = (cents: number) =>
      `${money(cents)} × ${q * n} instance${q * n === 1 ? "" : "s"} × ${hours} h = ${money(Math.round(perHour(cents) * hours))}`;
    if (spot !== undefined) lines.push(`  price now       ${cost(spot)} (spot price)`);
    lines.push(`  price at most   ${cost(limit)} (limit price)`);
  } else {
    if (spot !== undefined)
      lines.push(
        `  price now       ${money(spot)} × ${q * n} instance${q * n === 1 ? "" : "s"} = ${money(perHour(spot))}/hour (spot price)`,
      );
    lines.push(
      `  price at most   ${money(perHour(limit))}/hour (limit ${plan.bids[0]!.limit_price}/instance-hour); no max_run_time_hours: runs until cancelled`,
    );
  }
  if (spot !== undefined && limit <= spot)
    lines.push(
      `  warning         the limit ${plan.bids[0]!.limit_price} is not above the spot price ${formatCents(spot)}: the bid waits until the price falls`,
    );
  for (const v of plan.volumesToCreate)
    lines.push(
      `  volume          create \`${v.name}\` (${v.size_gb} GB, ${v.interface}) in ${plan.offer.region}`,
    );
  const scripts = plan.result.startupScripts;
  const sizes = scripts.map((s) => Math.max(s.bytes, s.chars));
  const largest = Math.max(...sizes);
  lines.push(
    `  startup script  ${scripts.length > 1 ? `${scripts.length} scripts, largest ` : ""}${countText(largest)} of ${countText(scripts[0]!.limit)} bytes (headroom ${countText(scripts[0]!.limit - largest)})`,
  );
  return `${lines.join("\n")}\n`;
}

/** Places the plan's bids (arrays: at most max_running) and prints the tasks. */
async function place(
  io: CliIo,
  input: SubmitInput,
  flags: SubmitFlags,
  remote: Remote,
  project: string,
  plan: Plan,
  settings: Settings,
): Promise<number> {
  const { client } = remote;
  const volumeFids: string[] = [];
  for (const v of plan.volumesToCreate) {
    const created = await client.createVolume({
      name: v.name,
      project,
      disk_interface: v.interface,
      region: plan.offer.region,
      size_gb: v.size_gb,
    });
    volumeFids.push(created.value.fid);
    if (!flags.json)
      io.stderr(
        `created volume \`${v.name}\` ${created.value.fid} (${v.size_gb} GB, ${v.interface}) in ${plan.offer.region}\n`,
      );
  }
  const bodies = plan.bids.map((b) =>
    volumeFids.length === 0
      ? b
      : {
          ...b,
          launch_specification: {
            ...b.launch_specification,
            volumes: [...b.launch_specification.volumes, ...volumeFids],
          },
        },
  );
  const now = plan.maxRunning !== undefined ? bodies.slice(0, plan.maxRunning) : bodies;
  const later = bodies.slice(now.length);
  const placed: BidModel[] = [];
  const failed = async (error: unknown): Promise<never> => {
    if (error instanceof ValidationError) {
      const diags = await validationDiagnostics(input, plan.result, error);
      showDiagnostics(io, plan.result, diags);
    }
    if (placed.length > 0)
      io.stderr(
        `placed ${placed.length} of ${bodies.length} bids before the failure: ${placed.map((b) => b.fid).join(", ")}\n`,
      );
    if (later.length > 0 && !(error instanceof ValidationError))
      io.stderr(
        `the other array tasks stay queued: \`flow status ${bodies[0]!.name.replace(/-\d+$/, "")}\` places them\n`,
      );
    throw error;
  };
  if (later.length > 0) {
    // an array with %N: the whole array is written to its queue first, and the first N placed from
    // it (write-ahead), so a failure or a crash while placing loses no task and posts none twice
    const queue: ArrayQueue = {
      apiUrl: client.baseUrl,
      project,
      prefix: bodies[0]!.name.replace(/-\d+$/, ""),
      maxRunning: plan.maxRunning!,
      pending: bodies,
    };
    // the queue is written under its lock: a `flow status` running meanwhile cannot place from it
    const result = await withQueueLock(
      io.env,
      queue.prefix,
      async (lock) => {
        await queueArray(io.env, queue, lock);
        return placeFromQueue(io.env, client, lock, queue, now.length, new Set(), (bid) => placed.push(bid));
      },
      30_000,
    ).catch(failed);
    if (!result.ok) throw queueHeldError(queue.prefix, result.held);
  } else {
    for (const body of now) {
      try {
        placed.push((await client.createBid(body)).value);
      } catch (error) {
        await failed(error);
      }
    }
  }
  let instances: InstanceModel[] = [];
  const { intervalMs } = settings;
  if (flags.wait || plan.upload) {
    if (plan.upload && !flags.json)
      io.stderr(
        `the code (${countText(plan.upload.bytes)} bytes) does not fit in the startup script: uploading it over SSH once the instances run\n`,
      );
    instances = await waitForRunning(io, client, project, placed, {
      intervalMs,
      timeoutMs: settings.timeoutMs,
    });
  }
  if (plan.upload) {
    const config = remote.config;
    const identity = flags.sshIdentity ?? config.sshIdentity;
    const path = flags.uploadPath ?? plan.result.startupScripts.find((sc) => sc.code)?.code?.uploadPath ?? "";
    for (const instance of instances) {
      await uploadTo(io, instance, plan.upload.archive, path, {
        user: flags.sshUser ?? config.sshUser ?? "ubuntu",
        ...(identity ? { identity } : {}),
        options: flags.sshOption ?? [],
        retryDelayMs: intervalMs,
      });
      if (!flags.json) io.stderr(`uploaded the code to ${instance.name} (${instance.ssh_destination})\n`);
    }
  }
  const spot = plan.offer.cents;
  if (flags.json) {
    io.stdout(
      `${JSON.stringify(
        {
          ok: true,
          bids: placed.map((b) => ({
            fid: b.fid,
            name: b.name,
            status: b.status,
            region: b.region ?? plan.offer.region,
            instance_type: plan.offer.name,
            instance_type_fid: b.instance_type,
            instance_quantity: b.instance_quantity,
            limit_price: b.limit_price,
            spot_price: spot === undefined ? null : formatCents(spot),
          })),
          queued: later.map((b) => b.name),
          instances: instances.map((i) => ({
            fid: i.fid,
            bid: i.bid ?? null,
            status: i.status,
            ssh_destination: i.ssh_destination ?? null,
          })),
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  const rows = placed.map((b) => [
    b.name,
    b.fid,
    b.status,
    `${b.instance_quantity} × ${plan.offer.name}`,
    b.region ?? plan.offer.region,
    `${spot === undefined ? "?" : formatCents(spot)} (limit ${b.limit_price})`,
  ]);
  io.stdout(table(["TASK", "BID", "STATUS", "INSTANCES", "REGION", "PRICE/INSTANCE-HOUR"], rows));
  if (plan.result.ir?.region === undefined) io.stdout(`${regionText(plan)}\n`);
  if (later.length > 0)
    io.stdout(
      `${later.length} more array task(s) queued (at most ${plan.maxRunning} at once): \`flow status --watch ${bodies[0]!.name.replace(/-\d+$/, "")}\` places them as tasks end\n`,
    );
  const handle = placed.length === 1 ? placed[0]!.name : bodies[0]!.name.replace(/-\d+$/, "");
  io.stdout(
    `follow: flow status ${handle} · ssh: flow ssh ${placed[0]!.name} · cancel: flow cancel ${handle}\n`,
  );
  return EXIT.ok;
}

/**
 * Uploads the archive to one instance; a refused or dropped SSH connection (exit 255: sshd not up
 * yet right after boot) is tried again, up to 10 times.
 */
async function uploadTo(
  io: CliIo,
  instance: InstanceModel,
  archive: Buffer,
  path: string,
  login: { user: string; identity?: string; options: readonly string[]; retryDelayMs: number },
): Promise<void> {
  const { uploadArchive } = await import("../../api/ssh.ts");
  const target = {
    destination: instance.ssh_destination!,
    user: login.user,
    ...(login.identity ? { identity: login.identity } : {}),
    options: login.options,
    // the key is kept under the instance FID: a reused spot IP with another key does not fail
    hostKeyAlias: instance.fid,
  };
  for (let attempt = 1; ; attempt++) {
    if (io.stderrIsTTY) io.stderr(`\ruploading the code to ${instance.name} (attempt ${attempt})\u001b[K`);
    const result = await uploadArchive(target, archive, path);
    if (io.stderrIsTTY) io.stderr("\r\u001b[K");
    if (result.code === 0) return;
    // 255 is ssh's own failure: a connection refused right after boot passes, a refused key does not
    const final = /Permission denied|Host key verification failed|Too many authentication failures/.test(
      result.stderr,
    );
    if (result.code !== 255 || final || attempt >= 10) {
      const { ApiError } = await import("../../api/errors.ts");
      throw new ApiError(
        "network",
        `the code upload to ${instance.name} (${instance.ssh_destination}) failed (ssh exit ${result.code}): ${result.stderr.trim().split("\n").slice(-2).join(" ")}`,
        {
          suggestions: [
            "check the SSH login: --ssh-user/--ssh-identity (or ssh_user/ssh_identity in `flow init`) and the bid's ssh_keys",
            "the bid stays placed and its script waits for the upload: `flow cancel` it, or copy the archive yourself",
          ],
        },
      );
    }
    await new Promise((done) => setTimeout(done, login.retryDelayMs));
  }
}

/** Polls until every placed bid's instances run with an SSH address; progress on a TTY only. */
async function waitForRunning(
  io: CliIo,
  client: FcpClient,
  project: string,
  bids: readonly BidModel[],
  options: { intervalMs: number; timeoutMs: number },
): Promise<InstanceModel[]> {
  const start = Date.now();
  const fids = bids.map((b) => b.fid);
  const want = bids.reduce((n, b) => n + b.instance_quantity, 0);
  let last = "";
  for (;;) {
    const instances = (await client.listInstances({ project, bidFids: fids })).filter(
      (i) => i.bid && fids.includes(i.bid),
    );
    const live = instances.filter((i) => i.status !== "STATUS_TERMINATED" && i.status !== "STATUS_PREEMPTED");
    const ready = live.filter((i) => i.status === "STATUS_RUNNING" && i.ssh_destination);
    const text = `waiting for ${want} instance(s): ${live.length} allocated, ${ready.length} running (${formatDuration(Date.now() - start)})`;
    if (io.stderrIsTTY && text !== last) io.stderr(`\r${text}\u001b[K`);
    last = text;
    if (ready.length >= want) {
      if (io.stderrIsTTY) io.stderr("\n");
      return ready;
    }
    if (Date.now() - start > options.timeoutMs) {
      if (io.stderrIsTTY) io.stderr("\n");
      const { TimeoutError } = await import("../../api/errors.ts");
      throw new TimeoutError(
        `the instances did not start within ${formatDuration(options.timeoutMs)} (${ready.length} of ${want} running); the bid stays placed`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
