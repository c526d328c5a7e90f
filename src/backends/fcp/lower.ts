/**
 * The FCP backend: a validated TaskConfig → bid request(s) and startup script(s).
 *
 * 1. resolve the instance requirement against the catalog (never a hard-coded FID) and a region;
 * 2. the limit price, from `max_price_per_hour` or, said in an info diagnostic, the priority tier;
 * 3. the startup script(s), within the limit — raw, compressed, with the code embedded or awaited
 *    as an upload — or an error (never a truncation);
 * 4. the bid body.
 * Every field the backend or the platform cannot honour is named in a diagnostic; nothing is
 * dropped silently.
 */
import { countText } from "../../diagnostics/count.ts";
import { type Diagnostic, diagnostic, hasErrors, sortDiagnostics } from "../../diagnostics/diagnostic.ts";
import { parseInstanceType } from "../../ir/instance-type/index.ts";
import { type SpanMap, spanAt } from "../../ir/span-map.ts";
import type { TaskConfig } from "../../ir/task-config.ts";
import { type BidRequest, buildBid } from "./bid.ts";
import { type Catalog, type CatalogEntry, resolveByGpuMemory, resolveInstanceType } from "./catalog/index.ts";
import type { CodeArchive } from "./code/archive.ts";
import { formatCents, PRIORITY_CENTS_PER_GPU_HOUR, priorityTier, toCents } from "./price.ts";
import {
  buildStartupScript,
  type CodeTransport,
  type ScriptForm,
  type SectionSize,
} from "./script/assemble.ts";
import { UPLOAD_PATH, UPLOAD_WAIT_MINUTES } from "./script/sections/code.ts";

export interface FcpOptions {
  readonly catalog: Catalog;
  /** Startup-script limit in characters and in UTF-8 bytes. */
  readonly scriptLimit: number;
  /** Project FID (`proj_…`) written into the bid. */
  readonly project?: string;
  /**
   * Packs the project for `upload_code` (called at most once, only when the task uploads code);
   * usually `() => buildCodeArchive(dir)`. Without it such a task gets warning FCP013.
   */
  readonly code?: () => CodeArchive;
}

/** One startup script and its measurements. */
export interface StartupScript {
  /** The script as shipped (raw, or the compressed bootstrap). */
  readonly text: string;
  /** UTF-8 bytes of `text`. */
  readonly bytes: number;
  /** Unicode code points of `text`. */
  readonly chars: number;
  readonly limit: number;
  /** `raw`, or `compressed` (a gzip+base64 self-extracting bootstrap) when raw is over the limit. */
  readonly form: ScriptForm;
  /** Bytes and code points of the raw script, before any compression. */
  readonly raw: { readonly bytes: number; readonly chars: number };
  /** Sizes of the raw script's sections, in script order. */
  readonly sections: readonly SectionSize[];
  /** How the project's code travels, when the task uploads code. */
  readonly code?: CodeTransport;
}

export interface FcpOutput {
  readonly bids: readonly BidRequest[];
  readonly startupScripts: readonly StartupScript[];
  readonly diagnostics: readonly Diagnostic[];
}

const SSH_KEY_FID = /^sshkey_[A-Za-z0-9]+$/;

/**
 * Fields the backend reads but the platform or this version cannot honour as written, each named
 * in a warning (DESIGN invariant 1): FCP006 for what a later version may do, FCP012 for what the
 * platform itself cannot do (docs: README "Startup scripts").
 */
function notHonoured(task: TaskConfig, spans: SpanMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (task.data_mounts?.length)
    out.push(
      diagnostic(
        "FCP006",
        "`data_mounts` are not mounted by this version of the startup script",
        spanAt(spans, ["data_mounts"], true),
        { suggestions: [{ message: "use a volume (`volumes`), or fetch the data in the command" }] },
      ),
    );
  for (const [i, volume] of (task.volumes ?? []).entries()) {
    if (volume.name !== undefined && volume.volume_id === undefined && volume.size_gb !== undefined) {
      out.push(
        diagnostic(
          "FCP015",
          `volume \`${volume.name}\` (${volume.size_gb} GB) does not exist yet: the compiled bid lists existing volumes only, and the script waits for its disk or share`,
          spanAt(spans, ["volumes", i]),
          {
            notes: [
              {
                message:
                  "`flow run` and the `submit` commands create it (POST /v2/volumes) and add its FID to the bid",
              },
            ],
          },
        ),
      );
    }
    if (volume.name !== undefined) continue;
    out.push(
      diagnostic(
        "FCP012",
        volume.volume_id !== undefined
          ? `volume \`${volume.volume_id}\` is attached but not mounted: the startup script finds a volume's disk or share by its name`
          : "a new volume without `name` cannot be found on the instance: it would be created and attached but not mounted",
        spanAt(spans, ["volumes", i]),
        { suggestions: [{ message: "add the volume's `name` (and `mount_path`, default /volumes/<name>)" }] },
      ),
    );
  }
  if (task.min_run_time_hours !== undefined)
    out.push(
      diagnostic(
        "FCP012",
        "`min_run_time_hours` cannot be guaranteed: a spot instance may be preempted at any time, whatever the bid",
        spanAt(spans, ["min_run_time_hours"], true),
        {
          suggestions: [
            { message: "a higher `max_price_per_hour` makes preemption less likely; checkpoint to a volume" },
          ],
        },
      ),
    );
  if (task.deadline_hours !== undefined)
    out.push(
      diagnostic(
        "FCP012",
        "`deadline_hours` is enforced as a run-time limit from when the command starts: the time the bid waits for an instance is not counted",
        spanAt(spans, ["deadline_hours"], true),
        {
          suggestions: [
            {
              message:
                "cancel the bid if it is not allocated in time (`flow` cannot do it from the instance)",
            },
          ],
        },
      ),
    );
  return out;
}

/** The code archive for a task that uploads code, or the diagnostics saying why there is none. */
function codeFor(
  task: TaskConfig,
  spans: SpanMap,
  load: (() => CodeArchive) | undefined,
): { code?: { archive: Buffer; sha256: string }; diagnostics: Diagnostic[] } {
  if (task.upload_code === false) return { diagnostics: [] };
  if (load === undefined) {
    return {
      diagnostics: [
        diagnostic(
          "FCP013",
          "`upload_code` is on (the default) but no project directory was given to the compiler: the command starts in an empty /workspace",
          spanAt(spans, ["upload_code"], true) ?? spanAt(spans, []),
          {
            suggestions: [
              { message: "set `upload_code: false` when the image or a volume holds the code" },
              {
                message: "the CLI packs the current directory (or --code-dir); a library call passes `code`",
              },
            ],
          },
        ),
      ],
    };
  }
  const built = load();
  if (hasErrors(built.diagnostics)) return { diagnostics: built.diagnostics };
  return { code: { archive: built.archive, sha256: built.sha256 }, diagnostics: built.diagnostics };
}

/** Lowers one validated task to FCP bids and startup scripts. Pure; never throws on a valid task. */
export function lowerToFcp(task: TaskConfig, spans: SpanMap, options: FcpOptions): FcpOutput {
  const diagnostics: Diagnostic[] = notHonoured(task, spans);
  const code = codeFor(task, spans, options.code);
  diagnostics.push(...code.diagnostics);

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
  // A SLURM array's scripts share every section but the slurm one (the task is the same object).
  const sectionCache = task.slurm && taskIds.length > 1 ? new Map() : undefined;
  const scripts = taskIds.map((id) =>
    buildStartupScript(id === undefined || task.slurm ? task : withArrayTaskId(task, id), {
      limit: options.scriptLimit,
      ...(id !== undefined ? { arrayTaskId: id } : {}),
      ...(choice ? { instance: instanceFacts(choice.entry) } : {}),
      ...(code.code ? { code: code.code } : {}),
      ...(sectionCache ? { sectionCache } : {}),
    }),
  );
  const failed = scripts.find((s) => s.text === undefined);
  if (failed) diagnostics.push(...failed.diagnostics);
  const uploaded = scripts.find((s) => s.text !== undefined && s.code?.mode === "upload")?.code;
  if (uploaded) {
    diagnostics.push(
      diagnostic(
        "FCP014",
        `the code (${countText(uploaded.bytes)} bytes compressed) does not fit in the startup script: the script waits up to ${UPLOAD_WAIT_MINUTES} min after boot for its upload to ${UPLOAD_PATH}`,
        spanAt(spans, ["upload_code"], true) ?? spanAt(spans, []),
        {
          notes: [{ message: "`flow` submits upload it over SSH; another client must copy it there itself" }],
          suggestions: [
            {
              message:
                "a .flowignore that leaves out data and checkpoints may let it travel inside the script",
            },
          ],
        },
      ),
    );
  }
  if (task.array?.max_running !== undefined && task.array.max_running < taskIds.length) {
    diagnostics.push(
      diagnostic(
        "FCP016",
        `\`max_running: ${task.array.max_running}\` is not in the ${taskIds.length} compiled bids: \`flow run\` and the submit commands place ${task.array.max_running} at a time; placed by hand, all run at once`,
        spanAt(spans, ["array", "max_running"]),
        {
          suggestions: [
            {
              message:
                "submit with `flow run` (or `flow slurm submit`), or place the bids in batches of that size",
            },
          ],
        },
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
          "FCP017",
          `ssh key \`${key}\` is not a key FID (sshkey_…): the API accepts FIDs only; \`flow run\` and the submit commands look the name up`,
          spanAt(spans, ["ssh_keys", i]),
          {
            suggestions: [
              { message: "submit with `flow run`, or write the key's FID as `GET /v2/ssh-keys` lists it" },
            ],
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
      form: script.form,
      raw: script.raw,
      sections: script.sections,
      ...(script.code ? { code: script.code } : {}),
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
