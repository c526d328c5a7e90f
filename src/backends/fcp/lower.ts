/**
 * The FCP backend: a validated TaskConfig → bid request(s) and startup script(s).
 *
 * 1. resolve the instance requirement against the catalog (never a hard-coded FID) and a region;
 * 2. the limit price, from `max_price_per_hour` or, said in an info diagnostic, the priority tier;
 * 3. the startup script, size-checked against the limit (over it is an error, never a truncation);
 * 4. the bid body.
 * Every field the backend cannot honour yet is named in a diagnostic; nothing is dropped silently.
 */
import { type Diagnostic, diagnostic, hasErrors, sortDiagnostics } from "../../diagnostics/diagnostic.ts";
import { parseInstanceType } from "../../ir/instance-type/index.ts";
import { type SpanMap, spanAt } from "../../ir/span-map.ts";
import type { TaskConfig } from "../../ir/task-config.ts";
import { type BidRequest, buildBid } from "./bid.ts";
import { type Catalog, type CatalogEntry, resolveByGpuMemory, resolveInstanceType } from "./catalog/index.ts";
import { formatCents, PRIORITY_CENTS_PER_GPU_HOUR, priorityTier, toCents } from "./price.ts";
import { buildStartupScript, type SectionSize } from "./script/assemble.ts";

export interface FcpOptions {
  readonly catalog: Catalog;
  /** Startup-script limit in characters and in UTF-8 bytes. */
  readonly scriptLimit: number;
  /** Project FID (`proj_…`) written into the bid. */
  readonly project?: string;
}

/** One startup script and its measurements. */
export interface StartupScript {
  readonly text: string;
  readonly bytes: number;
  readonly chars: number;
  readonly limit: number;
  readonly sections: readonly SectionSize[];
}

export interface FcpOutput {
  readonly bids: readonly BidRequest[];
  readonly startupScripts: readonly StartupScript[];
  readonly diagnostics: readonly Diagnostic[];
}

const SSH_KEY_FID = /^sshkey_[A-Za-z0-9]+$/;

/** Fields this version of the backend reads but cannot honour yet, and what happens instead. */
function notYetHonoured(task: TaskConfig, spans: SpanMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (field: string, message: string) =>
    out.push(diagnostic("FCP006", message, spanAt(spans, [field], true)));
  if (task.volumes?.length)
    warn(
      "volumes",
      "`volumes` are not attached by this version: the bid carries existing `volume_id`s only and the startup script does not mount them",
    );
  if (task.data_mounts?.length)
    warn("data_mounts", "`data_mounts` are not mounted by this version of the startup script");
  if (task.upload_code !== false)
    out.push(
      diagnostic(
        "FCP006",
        "`upload_code` is on (the default) but this version cannot upload code: the command starts in an empty /workspace",
        spanAt(spans, ["upload_code"], true) ?? spanAt(spans, []),
        { suggestions: [{ message: "set `upload_code: false` when the image or a volume holds the code" }] },
      ),
    );
  for (const field of ["max_run_time_hours", "min_run_time_hours", "deadline_hours"] as const) {
    if (task[field] !== undefined)
      warn(field, `\`${field}\` is not enforced by this version of the startup script`);
  }
  if (task.auto_terminate !== undefined)
    warn("auto_terminate", "`auto_terminate` is not honoured by this version");
  return out;
}

/** Lowers one validated task to FCP bids and startup scripts. Pure; never throws on a valid task. */
export function lowerToFcp(task: TaskConfig, spans: SpanMap, options: FcpOptions): FcpOutput {
  const diagnostics: Diagnostic[] = notYetHonoured(task, spans);

  // 1. instance type and region
  const where = { ...(task.region !== undefined ? { region: task.region } : {}) };
  let resolved: ReturnType<typeof resolveInstanceType> | undefined;
  if (task.instance_type !== undefined) {
    const parsed = parseInstanceType(task.instance_type);
    if (parsed.ok) resolved = resolveInstanceType(parsed.spec, options.catalog, where);
  } else if (task.min_gpu_memory_gb !== undefined) {
    resolved = resolveByGpuMemory(task.min_gpu_memory_gb, options.catalog, where);
  }
  const instanceField = task.instance_type !== undefined ? "instance_type" : "min_gpu_memory_gb";
  if (resolved && !resolved.ok) {
    const inRegion = resolved.reason === "not-in-region";
    diagnostics.push(
      diagnostic(
        inRegion ? "FCP003" : "IT002",
        resolved.message,
        spanAt(spans, [inRegion ? "region" : instanceField]),
        {
          ...(inRegion
            ? {
                notes: [
                  { message: "the instance requirement is here", span: spanAt(spans, [instanceField]) },
                ],
              }
            : {}),
          suggestions: resolved.suggestions.map((s) =>
            inRegion
              ? { message: `use \`region: ${s}\``, replacement: s }
              : { message: `did you mean \`${s}\`?`, replacement: s },
          ),
        },
      ),
    );
  }
  const choice = resolved?.ok ? resolved : undefined;
  if (choice?.regionChosen) {
    diagnostics.push(
      diagnostic(
        "FCP002",
        `no \`region\` given: bidding in \`${choice.region}\`, which offers ${choice.entry.name}`,
        spanAt(spans, [instanceField]),
        { suggestions: [{ message: `add \`region: ${choice.region}\` to fix the choice` }] },
      ),
    );
  }

  // 2. limit price, in cents, per instance-hour
  let cents: number | undefined;
  if (task.max_price_per_hour !== undefined) {
    cents = toCents(task.max_price_per_hour);
  } else if (choice) {
    const tier = priorityTier(task.priority);
    const perGpu = PRIORITY_CENTS_PER_GPU_HOUR[tier];
    cents = perGpu * choice.entry.num_gpus;
    diagnostics.push(
      diagnostic(
        "FCP004",
        `no \`max_price_per_hour\`: limit price ${formatCents(cents)} per instance-hour = priority \`${tier}\` (${formatCents(perGpu)} per GPU-hour) × ${choice.entry.num_gpus} GPU(s)`,
        spanAt(spans, ["priority"], true) ?? spanAt(spans, [instanceField]),
        { suggestions: [{ message: "set `max_price_per_hour` to choose the limit yourself" }] },
      ),
    );
  }

  // 3. per-node requirements against the chosen type
  if (choice) diagnostics.push(...checkNodeFit(task, spans, choice.entry));

  // 4. startup scripts: one per array task id (each told its id), else one
  const taskIds: readonly (number | undefined)[] = task.array?.task_ids ?? [undefined];
  const scripts = taskIds.map((id) =>
    buildStartupScript(id === undefined || task.slurm ? task : withArrayTaskId(task, id), {
      limit: options.scriptLimit,
      ...(id !== undefined ? { arrayTaskId: id } : {}),
      ...(choice ? { instance: instanceFacts(choice.entry) } : {}),
    }),
  );
  const failed = scripts.find((s) => s.text === undefined);
  if (failed) diagnostics.push(...failed.diagnostics);
  if (task.array?.max_running !== undefined) {
    diagnostics.push(
      diagnostic(
        "FCP006",
        `\`max_running: ${task.array.max_running}\` cannot be enforced by compiled bids: all ${taskIds.length} array bids are placed at once`,
        spanAt(spans, ["array", "max_running"]),
        { suggestions: [{ message: "submit the array in batches of that size" }] },
      ),
    );
  }

  // 5. the bids
  if (options.project === undefined) {
    diagnostics.push(
      diagnostic(
        "FCP005",
        "the bid has no `project`: pass `--project proj_…` (or set FLOW_PROJECT)",
        undefined,
      ),
    );
  }
  for (const [i, key] of (task.ssh_keys ?? []).entries()) {
    if (!SSH_KEY_FID.test(key)) {
      diagnostics.push(
        diagnostic(
          "FCP006",
          `ssh key \`${key}\` is not a key FID (sshkey_…): the API accepts FIDs only`,
          spanAt(spans, ["ssh_keys", i]),
          {
            suggestions: [{ message: "use the key's FID as `GET /v2/ssh-keys` lists it" }],
          },
        ),
      );
    }
  }
  if (!choice || cents === undefined || failed || hasErrors(diagnostics)) {
    return { bids: [], startupScripts: [], diagnostics: sortDiagnostics(diagnostics) };
  }
  const bids = scripts.map((script, i) => {
    const id = taskIds[i];
    return buildBid({
      ...(options.project !== undefined ? { project: options.project } : {}),
      region: choice.region,
      fid: choice.fid,
      limitPrice: formatCents(cents),
      quantity: task.num_instances ?? 1,
      name: id === undefined ? task.name : `${task.name}-${id}`,
      volumeIds: (task.volumes ?? []).flatMap((v) => (v.volume_id !== undefined ? [v.volume_id] : [])),
      sshKeys: task.ssh_keys ?? [],
      startupScript: script.text ?? "",
    });
  });
  return {
    bids,
    startupScripts: scripts.map((script) => ({
      text: script.text ?? "",
      bytes: script.bytes,
      chars: script.chars,
      limit: script.limit,
      sections: script.sections,
    })),
    diagnostics: sortDiagnostics(diagnostics),
  };
}

/** The environment variable a non-SLURM array task learns its id from. */
export const ARRAY_TASK_ID_VARIABLE = "FLOW_ARRAY_TASK_ID";

function withArrayTaskId(task: TaskConfig, id: number): TaskConfig {
  return { ...task, env: { ...task.env, [ARRAY_TASK_ID_VARIABLE]: String(id) } };
}

function instanceFacts(entry: CatalogEntry) {
  return { cpus: entry.num_cpus, gpus: entry.num_gpus, memoryMb: entry.ram_gb * 1024 };
}

/** `min_cpus_per_node` / `min_memory_gb_per_node` must fit the chosen type (error FCP008). */
function checkNodeFit(task: TaskConfig, spans: SpanMap, entry: CatalogEntry): Diagnostic[] {
  const out: Diagnostic[] = [];
  const need = (
    field: "min_cpus_per_node" | "min_memory_gb_per_node",
    want: number,
    has: number,
    unit: string,
  ) => {
    if (want <= has) return;
    out.push(
      diagnostic(
        "FCP008",
        `\`${field}: ${want}\` does not fit ${entry.name}, which has ${has} ${unit}`,
        spanAt(spans, [field]),
        { suggestions: [{ message: "choose a larger instance type, or lower the requirement" }] },
      ),
    );
  };
  if (task.min_cpus_per_node !== undefined)
    need("min_cpus_per_node", task.min_cpus_per_node, entry.num_cpus, "vCPUs");
  if (task.min_memory_gb_per_node !== undefined)
    need("min_memory_gb_per_node", task.min_memory_gb_per_node, entry.ram_gb, "GB of memory");
  return out;
}
