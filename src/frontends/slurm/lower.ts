/**
 * The SLURM frontend: a batch script → TaskConfig, reading it exactly as sbatch does (`read/`),
 * interpreting every option's value with sbatch's own grammars (`values/`), and giving every
 * directive a fate — mapped to the IR, emulated on the instance, ignored with a reason (a warning;
 * `--strict` makes it an error), or unsupported (an error). The body becomes the task's `script`
 * and is analysed for what cannot run on the cloud (`body/`).
 */
import { posix } from "node:path";
import { type Diagnostic, diagnostic, hasErrors, sortDiagnostics } from "../../diagnostics/diagnostic.ts";
import type { SpanEntry } from "../../ir/span-map.ts";
import { sanitizeTaskName, TASK_NAME_PATTERN } from "../../ir/task-config.ts";
import { validateTaskConfig } from "../../ir/validate.ts";
import { lineIndexOf, lineText, type SourceFile, type Span } from "../../source/source-file.ts";
import type { FrontendResult } from "../frontend.ts";
import { analyzeBody, moduleMapEntry, providedModules } from "./body/index.ts";
import type { DirectiveFate, Fate } from "./fate.ts";
import { CLOUD_GPU_MODELS, cloudGpuModel, NODE_GPU_COUNTS } from "./gpu-models.ts";
import type { ModuleMap, PartitionMap } from "./partition-map.ts";
import { effectiveKey, type OptionOccurrence, readSbatch } from "./read/index.ts";
import * as values from "./values/index.ts";

export interface SlurmLowerOptions {
  /** Values for template placeholders (`--set nodes=2`). */
  readonly set?: Readonly<Record<string, string>>;
  /** SBATCH_* input variables (they override directives, as in sbatch). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly partitionMap?: PartitionMap;
  readonly moduleMap?: ModuleMap;
  /** Container image the script runs in. */
  readonly image?: string;
  /**
   * Run a job with `--dependency` without waiting (warning SBATCH020; SLURM_JOB_DEPENDENCY still
   * reports it). Without it a dependency is an error: nothing on the cloud would wait (spec §8.10).
   */
  readonly ignoreDependencies?: boolean;
  /**
   * The job starts srun steps the batch script's body does not show (a submitit `script` the
   * batch script runs, whose own lines call srun): a `--signal` without `B:` then reaches them, so
   * no SBATCH023 "this script starts none".
   */
  readonly externalSrunSteps?: boolean;
}

/** Why options of each class have no meaning on a dedicated cloud instance. */
const CLASS_REASONS: Readonly<Record<string, string>> = {
  POLICY: "cluster policy and accounting have no meaning on the cloud",
  TOPO: "placement inside a node has no meaning on a whole dedicated instance",
  CLIENT: "it only changes what sbatch itself prints or waits for",
  SCHED: "there is no scheduler queue on the cloud: the job starts when the bid is allocated",
  SIG: "requeue and failure policies are not emulated",
  NAME: "free-text metadata has no place in a bid",
  IMAGE: "container options of SLURM are not used; pass --image to run the script in an image",
  IO: "not emulated on the instance",
  ENV: "not emulated on the instance",
  RES: "not used to choose the instance type",
};

/** Specific reasons, where the class reason is too vague. */
const OPTION_REASONS: Readonly<Record<string, string>> = {
  "mail-type": "no mail is sent from the cloud",
  "mail-user": "no mail is sent from the cloud",
  account: "no accounts on the cloud: the project pays",
  qos: "no QOS on the cloud: the limit price decides",
  reservation: "no reservations are used",
  licenses: "no license server on the cloud",
  dependency:
    "--ignore-dependencies: the job will NOT wait for the jobs it depends on (SLURM_JOB_DEPENDENCY reports it)",
  begin: "the job starts when the bid is allocated, not at the given time",
  nodelist: "cluster node names have no meaning on the cloud",
  exclude: "cluster node names have no meaning on the cloud",
  requeue: "requeue is not emulated (spot instances are not requeued by flow)",
  tmp: "local scratch is the instance's NVMe at /mnt/local",
  "time-min": "the cloud does not shorten jobs to fit a slot",
  exclusive:
    "an instance is the job's alone (never shared), but the cloud makes no promise about the topology around it or the allocation's other jobs",
};

/**
 * Options the cloud honours by its nature, with what honours them: no warning, and `--strict`
 * has nothing to refuse. Undefined for the modes it does not honour (`--exclusive=topo`).
 */
function honoured(o: OptionOccurrence, parsed: unknown): string | undefined {
  if (o.spec.long === "no-requeue")
    return "flow never requeues: after a preemption the job's command does not run again (fcp-api §8.2)";
  if (o.spec.long === "exclusive") {
    // the value as VALIDATORS read it; `--exclusive` alone has none and means whole nodes
    const mode = o.value === undefined ? "node" : (parsed as values.Exclusive | undefined)?.mode;
    if (mode === "node" || mode === "user" || mode === "mcs")
      return "the instance is the job's alone (cloud instances are never shared)";
  }
  return undefined;
}

/**
 * A template placeholder in a directive whose option an `SBATCH_*` variable supplies is filled by
 * the environment (the issue's contract for template debris): the error becomes a warning naming
 * the variable. (sbatch itself would still reject the literal placeholder text.)
 */
function suppliedByEnvironment(
  diagnostics: readonly Diagnostic[],
  effective: ReadonlyMap<string, OptionOccurrence>,
): Diagnostic[] {
  const fromEnv = [...effective.values()].filter((o) => o.source === "env" && o.span);
  return diagnostics.map((d) => {
    if (d.code !== "SBATCH016" || !d.span) return d;
    const env = fromEnv.find((o) => o.span!.start <= d.span!.start && d.span!.start < o.span!.end);
    if (!env) return d;
    return {
      ...d,
      severity: "warning",
      message: `${d.message}; \`${env.written}\` from the environment supplies the value instead`,
    };
  });
}

/** Grammars of options flow ignores but sbatch still validates: an invalid value fails the script. */
const VALIDATORS: Readonly<Record<string, (text: string) => values.ValueResult<unknown>>> = {
  "time-point": values.parseTimePoint,
  dependency: values.parseDependency,
  "mail-type": values.parseMailType,
  nice: values.parseNice,
  distribution: values.parseDistribution,
  hint: values.parseHint,
  exclusive: values.parseExclusive,
  int: (t) => values.parseInteger(t, { positive: true }),
  uint: (t) => values.parseInteger(t),
  memory: values.parseMemory,
  time: values.parseTime,
  signal: values.parseSignal,
  hostlist: values.parseNodeList,
  "yes-no": values.parseYesNo,
  "zero-one": values.parseZeroOne,
  "oom-kill-step": values.parseZeroOne,
  "no-kill": values.parseNoKill,
  requeue: values.parseRequeue,
  priority: values.parsePriority,
  uint16: values.parseUint16,
};

interface Builder {
  readonly raw: Record<string, unknown>;
  readonly slurm: Record<string, unknown>;
  readonly spans: Map<string, SpanEntry>;
  readonly diagnostics: Diagnostic[];
  readonly fates: Map<OptionOccurrence, { fate: Fate; detail: string }>;
  /** Spans of template placeholders the reader reported (SBATCH016). */
  readonly placeholders: readonly Span[];
  /** Some option value failed to parse (its error is reported; IR rules that follow from it are not). */
  failedValue: boolean;
}

function entryOf(o: OptionOccurrence): SpanEntry | undefined {
  const value = o.valueSpan ?? o.span ?? o.nameSpan;
  if (!value) return undefined;
  return o.nameSpan ? { key: o.nameSpan, value } : { value };
}

function record(b: Builder, path: string, o: OptionOccurrence | undefined) {
  const entry = o && entryOf(o);
  if (entry) b.spans.set(path, entry);
}

function fate(b: Builder, o: OptionOccurrence, f: Fate, detail: string) {
  if (b.fates.get(o)?.fate === "invalid") return; // an error stays the directive's fate
  b.fates.set(o, { fate: f, detail });
}

function occurrenceText(o: OptionOccurrence): string {
  if (o.value === undefined) return o.written;
  return o.written.startsWith("--") ? `${o.written}=${o.value}` : `${o.written} ${o.value}`;
}

function invalid(b: Builder, o: OptionOccurrence, message: string, suggestions: readonly string[] = []) {
  b.diagnostics.push(
    diagnostic("SBATCH022", `${o.written}: ${message}`, o.valueSpan ?? o.span, {
      suggestions: suggestions.map((s) => ({ message: `write \`${s}\``, replacement: s })),
    }),
  );
  fate(b, o, "invalid", message);
}

function ignore(b: Builder, o: OptionOccurrence, reason: string) {
  b.diagnostics.push(
    diagnostic("SBATCH020", `\`${occurrenceText(o)}\` ignored: ${reason}`, o.span, {
      suggestions: [
        { message: "remove it, or keep it for the cluster (flow --strict treats it as an error)" },
      ],
    }),
  );
  fate(b, o, "ignored", reason);
}

/**
 * Parses a value with one of the grammar parsers; reports SBATCH022 on failure — unless the reader
 * already reported the value (a template placeholder), which would only say the same thing twice.
 */
function parse<T>(
  b: Builder,
  o: OptionOccurrence,
  parser: (text: string) => values.ValueResult<T>,
): T | undefined {
  const at = o.valueSpan;
  if (at && b.placeholders.some((p) => p.start >= at.start && p.start < at.end)) {
    fate(b, o, "invalid", "template placeholder");
    b.failedValue = true;
    return undefined;
  }
  const result = parser(o.value ?? "");
  if (!result.ok) b.failedValue = true;
  if (!result.ok) {
    invalid(b, o, result.message, result.suggestions ?? []);
    return undefined;
  }
  if (result.notes !== undefined) {
    // sbatch accepts the value but reads it other than it looks (rounding, a skipped item, an
    // odd spelling): say how, once per value.
    const [first, ...rest] = result.notes;
    b.diagnostics.push(
      diagnostic("SBATCH037", `${occurrenceText(o)}: ${first}`, o.valueSpan ?? o.span, {
        notes: rest.map((message) => ({ message })),
      }),
    );
  }
  return result.value;
}

function baseName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]*$/, "") || base;
}

/** The options `lowerSlurm` maps by name; every other effective option gets a fate by its class. */
const HANDLED: ReadonlySet<string> = new Set([
  "job-name",
  "nodes",
  "ntasks",
  "ntasks-per-node",
  "cpus-per-task",
  "mincpus",
  "mem",
  "mem-per-cpu",
  "mem-per-gpu",
  "time",
  "chdir",
  "partition",
  "export",
  "output",
  "error",
  "open-mode",
  "signal",
  "array",
  "gres",
  "gpus",
  "gpus-per-node",
  "gpus-per-task",
  "constraint",
  "ignore-pbs",
  "tres-per-task",
  "cpus-per-gpu",
]);

/** Compiles a SLURM batch script to a TaskConfig. Never throws on any input. */
export function lowerSlurm(
  file: SourceFile,
  options: SlurmLowerOptions,
): FrontendResult & { fates: DirectiveFate[] } {
  const reading = readSbatch(file, {
    ...(options.set ? { set: options.set } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const b: Builder = {
    raw: {},
    slurm: {},
    spans: new Map<string, SpanEntry>().set("", { value: { start: 0, end: 0 } }),
    diagnostics: suppliedByEnvironment(reading.diagnostics, reading.effective),
    fates: new Map(),
    placeholders: reading.diagnostics.flatMap((d) => (d.code === "SBATCH016" && d.span ? [d.span] : [])),
    failedValue: false,
  };
  const eff = reading.effective;
  const get = (name: string) => eff.get(name);

  // ── name ─────────────────────────────────────────────────────────────────────────────────────
  const jobNameOpt = get("job-name");
  const jobName = jobNameOpt?.value || baseName(file.name);
  const name = sanitizeTaskName(jobName, "slurm-job");
  b.raw.name = name;
  b.slurm.job_name = jobName;
  record(b, "name", jobNameOpt);
  const namePlaceholder = b.placeholders.some(
    (p) =>
      jobNameOpt?.valueSpan && p.start >= jobNameOpt.valueSpan.start && p.start < jobNameOpt.valueSpan.end,
  );
  if (jobNameOpt && namePlaceholder) fate(b, jobNameOpt, "invalid", "template placeholder");
  else if (jobNameOpt) fate(b, jobNameOpt, "mapped", `name ${name}`);
  if (name !== jobName || !TASK_NAME_PATTERN.test(jobName)) {
    b.diagnostics.push(
      diagnostic(
        "SBATCH024",
        `job name \`${jobName}\` becomes the bid name \`${name}\` (letters, digits, dash, underscore); SLURM_JOB_NAME keeps \`${jobName}\``,
        jobNameOpt?.valueSpan,
      ),
    );
  }

  // ── options sbatch refuses together (spec §6.1) ─────────────────────────────────────────────
  checkExclusions(b, get);
  checkValueRules(b, get);

  // ── nodes, tasks, CPUs ───────────────────────────────────────────────────────────────────────
  let nodes = 1;
  const nodesOpt = get("nodes");
  const nodelist = get("nodelist");
  if (!nodesOpt && nodelist) {
    const list = parse(b, nodelist, values.parseNodeList);
    const hosts = list?.kind === "hosts" ? new Set(list.hosts).size : 0;
    if (hosts > 1) {
      nodes = hosts;
      b.raw.num_instances = hosts;
      record(b, "num_instances", nodelist);
      fate(
        b,
        nodelist,
        "mapped",
        `num_instances ${hosts} (sbatch: at least one node per listed host; the names themselves are not used)`,
      );
    }
  }
  if (nodesOpt) {
    const v = parse(b, nodesOpt, values.parseNodes);
    if (v) {
      nodes = v.min;
      b.raw.num_instances = nodes;
      record(b, "num_instances", nodesOpt);
      fate(
        b,
        nodesOpt,
        "mapped",
        `num_instances ${nodes}${v.max !== undefined && v.max !== v.min ? ` (the minimum of ${v.min}-${v.max}: bids are all or nothing)` : ""}`,
      );
    }
  }
  const intOption = (long: string, field: string) => {
    const o = get(long);
    if (!o) return undefined;
    const v = parse(b, o, values.parsePositiveInt);
    if (v !== undefined) {
      b.slurm[field] = v;
      record(b, `slurm.${field}`, o);
      fate(b, o, "emulated", `SLURM_${field.toUpperCase()}=${v}`);
    }
    return v;
  };
  const ntasks = intOption("ntasks", "ntasks");
  if (ntasks !== undefined && ntasks < nodes) {
    // sbatch: "can't run N processes on M nodes" — both node bounds become the task count (§6.2).
    b.diagnostics.push(
      diagnostic(
        "SBATCH029",
        `${ntasks} task(s) on ${nodes} nodes: sbatch lowers the node count to ${ntasks}`,
        get("ntasks")?.valueSpan,
        {
          notes: nodesOpt?.valueSpan ? [{ message: "the node count is here", span: nodesOpt.valueSpan }] : [],
          severity: "warning",
        },
      ),
    );
    nodes = ntasks;
    b.raw.num_instances = nodes;
  }
  const ntasksPerNode = intOption("ntasks-per-node", "ntasks_per_node");
  // --tres-per-task: `cpu=N` asks what --cpus-per-task=N asks, `gres/gpu[:type]=N` what
  // --gpus-per-task does (spec §8.6); a value sbatch refuses (§6.1) is reported once, above.
  const tresOpt = get("tres-per-task");
  const tres =
    tresOpt && b.fates.get(tresOpt)?.fate !== "invalid"
      ? parse(b, tresOpt, values.parseTresPerTask)
      : undefined;
  let cpusPerTask = intOption("cpus-per-task", "cpus_per_task");
  // An explicit --cpus-per-gpu beats `cpu=` from SBATCH_TRES_PER_TASK (spec §6.1; both explicit
  // is SBATCH029, reported above).
  const cpusFromTres =
    cpusPerTask === undefined &&
    tres?.cpus !== undefined &&
    !(tresOpt?.source !== "directive" && explicit(get, "cpus-per-gpu"));
  if (cpusFromTres && tresOpt) {
    cpusPerTask = tres?.cpus;
    b.slurm.cpus_per_task = cpusPerTask;
    record(b, "slurm.cpus_per_task", tresOpt);
  }
  const tasksPerNode = ntasksPerNode ?? (ntasks !== undefined ? Math.ceil(ntasks / nodes) : 1);
  if (cpusPerTask !== undefined || ntasks !== undefined || ntasksPerNode !== undefined) {
    b.raw.min_cpus_per_node = tasksPerNode * (cpusPerTask ?? 1);
    record(
      b,
      "min_cpus_per_node",
      get("cpus-per-task") ?? (cpusFromTres ? tresOpt : undefined) ?? get("ntasks-per-node") ?? get("ntasks"),
    );
  }
  const mincpus = get("mincpus");
  if (mincpus) {
    const v = parse(b, mincpus, values.parsePositiveInt);
    if (v !== undefined) {
      b.raw.min_cpus_per_node = Math.max(Number(b.raw.min_cpus_per_node ?? 0), v);
      record(b, "min_cpus_per_node", mincpus);
      fate(b, mincpus, "mapped", `min_cpus_per_node ${v}`);
    }
  }

  // ── GPUs → instance type (a partition-map type stands in when the script names no GPUs) ─────
  const partition = get("partition");
  const target = partition?.value !== undefined ? options.partitionMap?.[partition.value] : undefined;
  const gpu = gpuRequest(b, get, nodes, tasksPerNode, ntasks, target?.instance_type !== undefined, tres);
  if (tresOpt && tres) tresFate(b, tresOpt, tres, cpusFromTres ? cpusPerTask : undefined, get);
  // --cpus-per-gpu: CPUs for each GPU of the node, as --mem-per-gpu is memory for each (spec §8.6).
  const cpusPerGpu = get("cpus-per-gpu");
  if (cpusPerGpu) {
    const v = parse(b, cpusPerGpu, values.parsePositiveInt);
    if (v !== undefined) {
      const per = gpu?.count ?? 0;
      if (v * per > 0) {
        b.raw.min_cpus_per_node = Math.max(Number(b.raw.min_cpus_per_node ?? 0), v * per);
        record(b, "min_cpus_per_node", cpusPerGpu);
      }
      fate(b, cpusPerGpu, "mapped", `min_cpus_per_node ${v * per} (${v} × ${per} GPUs)`);
    }
  }

  // ── memory ──────────────────────────────────────────────────────────────────────────────────
  const memOpt = get("mem");
  if (memOpt) {
    const v = parse(b, memOpt, values.parseMemory);
    if (v) {
      b.slurm.mem_per_node_mb = v.mb;
      if (v.mb > 0) {
        b.raw.min_memory_gb_per_node = Math.ceil((v.mb / 1024) * 100) / 100;
        record(b, "min_memory_gb_per_node", memOpt);
      }
      fate(
        b,
        memOpt,
        "mapped",
        v.mb > 0 ? `min_memory_gb_per_node ${b.raw.min_memory_gb_per_node}` : "all memory of the node",
      );
    }
  }
  for (const [long, per] of [
    ["mem-per-cpu", Number(b.raw.min_cpus_per_node ?? 1)],
    ["mem-per-gpu", gpu?.count ?? 0],
  ] as const) {
    const o = get(long);
    if (!o) continue;
    const v = parse(b, o, values.parseMemory);
    if (!v) continue;
    const gb = Math.ceil(((v.mb * per) / 1024) * 100) / 100;
    if (gb > 0) {
      b.raw.min_memory_gb_per_node = Math.max(Number(b.raw.min_memory_gb_per_node ?? 0), gb);
      record(b, "min_memory_gb_per_node", o);
    }
    fate(b, o, "mapped", `min_memory_gb_per_node ${gb} (${v.mb} MB × ${per})`);
  }

  // ── time ────────────────────────────────────────────────────────────────────────────────────
  const timeOpt = get("time");
  // No limit at all: no --time, UNLIMITED or 0 (not a value that failed or was refused).
  let noTimeLimit = timeOpt === undefined;
  if (timeOpt) {
    const v = parse(b, timeOpt, values.parseTime);
    if (v) {
      noTimeLimit = v.minutes === "unlimited";
      if (v.minutes === "unlimited") {
        fate(b, timeOpt, "mapped", "no time limit");
      } else if (v.minutes > 168 * 60) {
        b.diagnostics.push(
          diagnostic(
            "SBATCH021",
            `${timeOpt.written} ${timeOpt.value}: longer than the cloud's 7-day (168 h) limit`,
            timeOpt.valueSpan,
            {
              suggestions: [
                {
                  message: "write `7-00:00:00` or less, and checkpoint to resume",
                  replacement: "7-00:00:00",
                },
              ],
            },
          ),
        );
        fate(b, timeOpt, "unsupported", "longer than 168 hours");
      } else if (v.minutes > 0) {
        b.raw.max_run_time_hours = Math.round((v.minutes / 60) * 1e6) / 1e6;
        b.slurm.time_limit_minutes = v.minutes;
        record(b, "max_run_time_hours", timeOpt);
        fate(b, timeOpt, "mapped", `max_run_time_hours ${b.raw.max_run_time_hours}`);
      } else {
        noTimeLimit = true;
        fate(b, timeOpt, "mapped", "no time limit (0)");
      }
    }
  }

  // ── where, what, who ────────────────────────────────────────────────────────────────────────
  const chdir = get("chdir");
  if (chdir?.value) {
    const dir = chdir.value.startsWith("/") ? chdir.value : posix.join("/workspace", chdir.value);
    b.raw.working_dir = dir;
    record(b, "working_dir", chdir);
    fate(
      b,
      chdir,
      "mapped",
      `working_dir ${dir}${chdir.value.startsWith("/") ? "" : " (relative to the uploaded submit directory)"}`,
    );
  }
  let image = options.image;
  if (partition?.value !== undefined) {
    b.slurm.partition = partition.value;
    if (target) {
      if (target.instance_type && !gpu?.explicit) {
        b.raw.instance_type = target.instance_type;
        record(b, "instance_type", partition);
      }
      if (target.region) b.raw.region = target.region;
      if (target.max_price_per_hour !== undefined) b.raw.max_price_per_hour = target.max_price_per_hour;
      image ??= target.image;
      fate(b, partition, "mapped", `partition map: ${JSON.stringify(target)}`);
    } else {
      b.diagnostics.push(
        diagnostic(
          "SBATCH028",
          `partition \`${partition.value}\` has no entry in a partition map: only SLURM_JOB_PARTITION keeps it`,
          partition.valueSpan,
          {
            suggestions: [
              {
                message:
                  "pass --partition-map with an entry for it (instance_type, region, image, max_price_per_hour)",
              },
            ],
          },
        ),
      );
      fate(b, partition, "emulated", "SLURM_JOB_PARTITION only");
    }
  }
  const env: Record<string, string> = {};
  const exportOpt = get("export");
  if (exportOpt) {
    const v = parse(b, exportOpt, values.parseExport);
    if (v) {
      const fromShell = v.vars.filter((x) => x.value === undefined).map((x) => x.name);
      for (const x of v.vars) if (x.value !== undefined) env[x.name] = x.value;
      if (fromShell.length > 0) {
        b.diagnostics.push(
          diagnostic(
            "SBATCH020",
            `--export takes ${fromShell.map((n) => `\`${n}\``).join(", ")} from the submitting shell, which the cloud does not have`,
            exportOpt.valueSpan,
            {
              suggestions: [
                { message: `give the values: --export=${fromShell.map((n) => `${n}=…`).join(",")}` },
              ],
            },
          ),
        );
      }
      fate(
        b,
        exportOpt,
        "mapped",
        Object.keys(env).length ? `env ${Object.keys(env).join(", ")}` : `export mode ${v.mode}`,
      );
      record(b, "env", exportOpt);
      // sbatch copies any --export other than ALL into the job (OPT; spec §6.2, §10.1).
      if (exportOpt.value !== undefined && exportOpt.value.toUpperCase() !== "ALL") {
        b.slurm.export_env = exportOpt.value;
        record(b, "slurm.export_env", exportOpt);
      }
    }
  }
  if (Object.keys(env).length > 0) b.raw.env = env;
  for (const [long, field] of [
    ["output", "output"],
    ["error", "error"],
  ] as const) {
    const o = get(long);
    if (!o) continue;
    if (parse(b, o, values.parseFilename) !== undefined) {
      b.slurm[field] = o.value;
      record(b, `slurm.${field}`, o);
      fate(
        b,
        o,
        "emulated",
        `${field === "output" ? "stdout" : "stderr"} ${o.value?.toLowerCase() === "none" ? "discarded (/dev/null)" : `written to ${o.value} on the instance`}`,
      );
    }
  }
  const openMode = get("open-mode");
  if (openMode) {
    const v = parse(b, openMode, values.parseOpenMode);
    if (v) {
      b.slurm.open_mode = v.mode;
      fate(b, openMode, "emulated", `output files opened with ${v.mode}`);
    }
  }
  const signalOpt = get("signal");
  let signal: values.SignalSpec | undefined;
  if (signalOpt) {
    const v = parse(b, signalOpt, values.parseSignal);
    signal = v;
    if (v) {
      b.slurm.signal = {
        name: v.signal,
        seconds_before: v.secondsBefore,
        ...(v.batchOnly ? { batch_only: true } : {}),
      };
      fate(
        b,
        signalOpt,
        "emulated",
        `SIG${v.signal} ${v.secondsBefore} s before the time limit, to ${v.batchOnly ? "the batch shell only" : "srun-launched tasks only"}`,
      );
    }
  }
  const arrayOpt = get("array");
  if (arrayOpt) {
    const v = parse(b, arrayOpt, values.parseArray);
    if (v) {
      b.raw.array = {
        task_ids: v.taskIds,
        ...(v.maxRunning !== undefined ? { max_running: v.maxRunning } : {}),
      };
      record(b, "array", arrayOpt);
      fate(b, arrayOpt, "mapped", `array of ${v.taskIds.length} tasks (one bid each)`);
    }
  }

  // ── --ignore-pbs: honoured — sbatch then leaves #PBS/#BSUB lines alone, and flow never applies
  // them, so there is nothing to warn about (spec §3.6) ─────────────────────────────────────────
  const ignorePbs = get("ignore-pbs");
  if (ignorePbs)
    fate(b, ignorePbs, "mapped", "#PBS/#BSUB lines are not translated (flow never applies them)");

  // ── every other effective option: a fate by class ───────────────────────────────────────────

  for (const o of eff.values()) {
    if (HANDLED.has(o.spec.long) || b.fates.has(o)) continue;
    // sbatch validates every value, even of options the cloud ignores (spec §5.5).
    const grammar = VALIDATORS[o.spec.grammar];
    const parsed = grammar && o.value !== undefined ? parse(b, o, grammar) : undefined;
    if (grammar && o.value !== undefined && parsed === undefined) continue;
    const honouredBy = honoured(o, parsed);
    if (honouredBy !== undefined) {
      fate(b, o, "mapped", honouredBy);
      continue;
    }
    if (
      o.spec.long === "dependency" &&
      o.value !== undefined &&
      o.value !== "" &&
      !options.ignoreDependencies
    ) {
      // spec §8.10 [REC]: without an orchestrator a dependency is an error, unless explicitly dropped.
      b.diagnostics.push(
        diagnostic(
          "SBATCH021",
          `\`${occurrenceText(o)}\` cannot be honoured: nothing on the cloud waits for other jobs, so this one would start at once`,
          o.valueSpan ?? o.span,
          {
            suggestions: [
              {
                message:
                  "submit the jobs one after the other yourself (e.g. `flow status --watch`, then the next)",
              },
              {
                message:
                  "or pass --ignore-dependencies to run it without waiting (SLURM_JOB_DEPENDENCY still reports it)",
              },
            ],
          },
        ),
      );
      fate(b, o, "unsupported", "no scheduler waits for the jobs it depends on");
      continue;
    }
    if (o.spec.class === "N/A") {
      b.diagnostics.push(
        diagnostic(
          "SBATCH021",
          `\`${o.written}\` cannot be honoured on the cloud: ${o.spec.meaning}`,
          o.span,
        ),
      );
      fate(b, o, "unsupported", o.spec.meaning);
    } else {
      ignore(b, o, OPTION_REASONS[o.spec.long] ?? CLASS_REASONS[o.spec.class] ?? "not used");
      // sbatch puts a valid --dependency into the job (spec §6.2, §10.1): the script sees it.
      if (o.spec.long === "dependency" && o.value !== undefined && o.value !== "") {
        b.slurm.dependency = o.value;
        record(b, "slurm.dependency", o);
      }
    }
  }

  // ── body ────────────────────────────────────────────────────────────────────────────────────
  const script = file.text.includes("\r") ? file.text.replace(/\r\n/g, "\n") : file.text;
  b.raw.script = script;
  b.spans.set("script", {
    value: { start: 0, end: Math.min(file.text.length, file.lineStarts[1] ?? file.text.length) },
  });
  const bodyStart =
    reading.firstCommandLine !== undefined
      ? (file.lineStarts[reading.firstCommandLine] ?? file.text.length)
      : file.text.length;
  const body = analyzeBody(file, bodyStart, {
    ...(options.moduleMap ? { moduleMap: options.moduleMap } : {}),
    numNodes: nodes,
    hasImage: image !== undefined,
  });
  for (const d of body.diagnostics) b.diagnostics.push(d); // not push(...): there may be 100,000s
  // spec §8.11, §12 case 45: without `B:` only srun steps are signalled; a script without srun
  // steps receives nothing — as in SLURM, but rarely what the author meant.
  if (signalOpt && signal && !signal.batchOnly && !body.facts.usesSrun && !options.externalSrunSteps) {
    const sig = signal.signal;
    b.diagnostics.push(
      diagnostic(
        "SBATCH023",
        `\`${occurrenceText(signalOpt)}\` signals srun-launched tasks only, and this script starts none: nothing receives SIG${sig} (as in SLURM)`,
        signalOpt.valueSpan ?? signalOpt.span,
        {
          suggestions: [
            { message: `write \`--signal=B:${signalOpt.value}\` and \`trap\` ${sig} in the script` },
          ],
        },
      ),
    );
  }
  // The signal is sent before the time limit: a job without one never receives it (as in SLURM
  // under a partition without a limit), which a script that traps it rarely means.
  if (signalOpt && signal && noTimeLimit) {
    b.diagnostics.push(
      diagnostic(
        "SBATCH023",
        `\`${occurrenceText(signalOpt)}\` is sent ${signal.secondsBefore} s before the time limit, and this job has none: SIG${signal.signal} is never sent`,
        signalOpt.valueSpan ?? signalOpt.span,
        {
          severity: "warning",
          suggestions: [{ message: "set a limit with --time (at most 7 days on the cloud)" }],
        },
      ),
    );
  }
  if (image === undefined) {
    for (const m of body.facts.modules) {
      const mapped = moduleMapEntry(options.moduleMap, m.name)?.image;
      if (mapped) {
        image = mapped;
        break;
      }
    }
  }
  if (image !== undefined) b.raw.image = image;
  if (body.facts.usesModules) b.slurm.modules = providedModules(body.facts.modules, options.moduleMap);
  b.raw.slurm = b.slurm;

  // ── fates, in source order ──────────────────────────────────────────────────────────────────
  const fates: DirectiveFate[] = [];
  // Lines that only hold the value of an option named on an earlier directive line (spec §3.4).
  const valueLines = new Map<number, DirectiveFate>();
  for (const o of reading.occurrences) {
    const line = o.line >= 0 ? o.line + 1 : 0;
    const text = occurrenceText(o);
    const f =
      eff.get(effectiveKey(o.spec.long)) === o
        ? (b.fates.get(o) ?? { fate: "mapped" as Fate, detail: "read" })
        : {
            fate: "overridden" as Fate,
            detail:
              eff.get(o.spec.long)?.source === "env"
                ? `${eff.get(o.spec.long)!.written} from the environment wins`
                : `a later ${o.spec.long} wins`,
          };
    const entry: DirectiveFate = { line, text, option: o.spec.long, fate: f.fate, detail: f.detail };
    fates.push(entry);
    if (o.source === "directive" && o.valueSpan && lineIndexOf(file, o.valueSpan.start) !== o.line)
      valueLines.set(lineIndexOf(file, o.valueSpan.start), entry);
  }
  for (const d of reading.diagnostics) {
    // Early-pass options (`--verbose`, `--wrap`, …): sbatch accepts them in a script and ignores them.
    if (d.code === "SBATCH018" && d.span) {
      fates.push({
        line: lineIndexOf(file, d.span.start) + 1,
        text: file.text.slice(d.span.start, d.span.end),
        option: /\(--([a-z-]+)\)/.exec(d.message)?.[1] ?? file.text.slice(d.span.start, d.span.end),
        fate: "ignored",
        detail: "sbatch ignores it inside a script (command line only)",
      });
      continue;
    }
    if (d.code !== "SBATCH005" || !d.span) continue;
    const line = lineIndexOf(file, d.span.start);
    const text = lineText(file, line).trim();
    fates.push({
      line: line + 1,
      text,
      option: text,
      fate: "not-read",
      detail: d.message,
    });
  }
  // Directive lines that produced no occurrence: the value of an option on an earlier line, a line
  // with no option at all (`#SBATCH`, `#SBATCH # note`), or sbatch stopped parsing at an earlier error.
  // 1-based lines that already have a fate (all of them below `stop` + 1, or the env's line 0)
  const seen: boolean[] = [];
  for (const f of fates) seen[f.line] = true;
  const stop = reading.firstCommandLine ?? file.lineStarts.length;
  let firstError = Number.POSITIVE_INFINITY;
  let firstSeparator = Number.POSITIVE_INFINITY;
  for (const d of reading.diagnostics) {
    if (d.severity !== "error" || !d.span) continue;
    const line = lineIndexOf(file, d.span.start);
    firstError = Math.min(firstError, line);
    if (d.code === "SBATCH015") firstSeparator = Math.min(firstSeparator, line);
  }
  // The lines that already carry a diagnostic, found once (per line it was a scan of them all:
  // quadratic in a script of thousands of bad directives).
  const linesWithDiagnostic = new Set<number>();
  for (const d of b.diagnostics) if (d.span) linesWithDiagnostic.add(lineIndexOf(file, d.span.start));
  for (let i = 0; i < stop; i++) {
    const start = file.lineStarts[i] ?? file.text.length;
    if (!file.text.startsWith("#SBATCH", start) && !file.text.startsWith("#SLURM", start)) continue;
    if (seen[i + 1]) continue;
    const text = lineText(file, i);
    const owner = valueLines.get(i);
    if (owner) {
      fates.push({
        line: i + 1,
        text: text.trim(),
        option: owner.option,
        fate: owner.fate,
        detail: `the value of ${owner.text.split(/[= ]/)[0]} on line ${owner.line}`,
      });
      continue;
    }
    if (linesWithDiagnostic.has(i)) continue;
    fates.push(
      firstError < i
        ? {
            line: i + 1,
            text: text.trim(),
            option: text.trim(),
            fate: "not-read",
            detail:
              firstSeparator < i
                ? "not applied: it belongs to a later heterogeneous job component, which flow does not compile"
                : "not applied: option parsing stopped at an earlier error",
          }
        : {
            line: i + 1,
            text: text.trim(),
            option: text.trim(),
            fate: "ignored",
            detail: "no option on this line: sbatch finds nothing to apply",
          },
    );
  }
  // Usually in order already (occurrences come in source order): sort only when not.
  if (fates.some((f, i) => i > 0 && f.line < fates[i - 1]!.line)) fates.sort((x, y) => x.line - y.line);

  const readErrors = hasErrors(b.diagnostics);
  const validated = validateTaskConfig(b.raw, b.spans);
  // A GPU option whose value failed leaves no instance type: IR006 would only echo that error.
  const consequences = validated.diagnostics.filter((d) => !(b.failedValue && d.code === "IR006"));
  const diagnostics = sortDiagnostics([...b.diagnostics, ...consequences]);
  return {
    value: readErrors || hasErrors(diagnostics) ? undefined : validated.value,
    spans: b.spans,
    diagnostics,
    fates,
  };
}

/**
 * The fate of `--tres-per-task` once its CPUs and GPUs are used: mapped for what it decided (its
 * other items — licenses, other GRES — then get one warning, as `--gres` reports its others),
 * overridden when an option of its own kind won, ignored (one warning) when nothing in it counts.
 */
function tresFate(
  b: Builder,
  o: OptionOccurrence,
  tres: values.TresPerTask,
  cpus: number | undefined,
  get: (name: string) => OptionOccurrence | undefined,
): void {
  if (b.fates.get(o)?.fate === "invalid") return;
  const decided = b.fates.get(o);
  const parts: string[] = [];
  if (cpus !== undefined) parts.push(`SLURM_CPUS_PER_TASK=${cpus}`);
  if (decided?.fate === "mapped") parts.push(decided.detail);
  const others = tres.others.map((x) => `\`${x}\``).join(", ");
  if (parts.length > 0) {
    if (tres.others.length > 0) {
      b.diagnostics.push(
        diagnostic(
          "SBATCH020",
          `${o.written} ${others} ignored: only CPUs and GPUs exist on the cloud`,
          o.valueSpan ?? o.span,
        ),
      );
    }
    fate(b, o, "mapped", parts.join("; "));
    return;
  }
  if (decided?.fate === "overridden") return; // the GPU request's own rule said what won, and why
  if (tres.cpus !== undefined || tres.gpus !== undefined) {
    const winner = [get("cpus-per-task"), get("gpus-per-task"), get("cpus-per-gpu")].find((w) => w);
    fate(b, o, "overridden", `${winner?.written ?? "another option"} wins`);
    return;
  }
  if (
    tres.others.length === 0 &&
    b.diagnostics.some((d) => d.code === "SBATCH037" && d.span?.start === (o.valueSpan ?? o.span)?.start)
  ) {
    // every item was one sbatch drops (`gres/gpu=0`), which SBATCH037 already says
    fate(b, o, "ignored", "it asks for nothing per task");
    return;
  }
  ignore(
    b,
    o,
    tres.others.length > 0
      ? `${others}: only CPUs and GPUs exist on the cloud`
      : "it asks for nothing per task",
  );
}

/** Groups sbatch refuses to combine (spec §6.1): both given explicitly is an error, as in sbatch. */
const EXCLUSIVE_GROUPS: readonly (readonly string[])[] = [
  ["mem", "mem-per-cpu", "mem-per-gpu"],
  ["gres", "gpus-per-node"],
  ["exclusive", "oversubscribe"],
  ["core-spec", "thread-spec"],
  ["cpus-per-task", "cpus-per-gpu"],
  ["ntasks-per-gpu", "gpus-per-task"],
  ["ntasks-per-gpu", "gpus-per-socket"],
  ["ntasks-per-gpu", "ntasks-per-node"],
  ["ntasks-per-gpu", "tres-per-task"],
  ["bb", "bbf"],
];

/** `--tres-per-task` types sbatch refuses (spec §6.1, SO `_validate_tres_per_task()`). */
const TRES_PER_TASK_REFUSED: ReadonlySet<string> = new Set([
  "mem",
  "energy",
  "node",
  "billing",
  "fs",
  "vmem",
  "pages",
  "bb",
]);

/** Reports two explicit options sbatch refuses together (SBATCH029); the later one becomes invalid. */
function conflict(b: Builder, first: OptionOccurrence, o: OptionOccurrence, why: string) {
  b.diagnostics.push(
    diagnostic("SBATCH029", `${why}: sbatch refuses the script`, o.span, {
      notes: first.span ? [{ message: `\`${first.written}\` is given here`, span: first.span }] : [],
    }),
  );
  fate(b, o, "invalid", `conflicts with ${first.written}`);
}

/** The explicit (directive) occurrence of an option, if any. */
function explicit(get: (name: string) => OptionOccurrence | undefined, name: string) {
  const o = get(name);
  return o?.source === "directive" ? o : undefined;
}

/**
 * The rest of spec §6.1: rules that look at values, not only at which options are given — as
 * sbatch, each is fatal. A value that does not parse is reported by its own grammar, not here.
 */
function checkValueRules(b: Builder, get: (name: string) => OptionOccurrence | undefined) {
  // --ntasks-per-gpu and --ntasks-per-tres: both explicit with different values.
  const perGpu = explicit(get, "ntasks-per-gpu");
  const perTres = explicit(get, "ntasks-per-tres");
  if (perGpu && perTres) {
    const x = values.parseInteger(perGpu.value ?? "", { positive: true });
    const y = values.parseInteger(perTres.value ?? "", { positive: true });
    if (x.ok && y.ok && x.value !== y.value)
      conflict(
        b,
        perGpu,
        perTres,
        `\`${perTres.written}=${y.value}\` and \`${perGpu.written}=${x.value}\` differ`,
      );
  }
  // --tres-per-task: refused types (from a directive or SBATCH_TRES_PER_TASK alike), and, both
  // explicit, cpu=N with --cpus-per-task or --cpus-per-gpu, gres/gpu with --gpus-per-task.
  const tres = get("tres-per-task");
  if (tres?.value !== undefined) {
    const items = tres.value.split(",");
    const types = items.map((item) => item.split(/[=/:]/)[0]!.toLowerCase());
    const refused = types.filter((t) => TRES_PER_TASK_REFUSED.has(t));
    if (refused.length > 0) {
      b.diagnostics.push(
        diagnostic(
          "SBATCH022",
          `${tres.written}: \`${refused[0]}\` cannot be requested per task: sbatch refuses the script`,
          tres.valueSpan ?? tres.span,
        ),
      );
      fate(b, tres, "invalid", `${refused[0]} per task`);
    }
    const gpu = items.some((item) => /^gres[/:]gpu(?:[:=]|$)/i.test(item));
    const siblings: [string, boolean, string][] = [
      ["cpus-per-task", types.includes("cpu"), "cpu=…"],
      ["cpus-per-gpu", types.includes("cpu"), "cpu=…"],
      ["gpus-per-task", gpu, "gres/gpu…"],
    ];
    if (tres.source === "directive") {
      for (const [name, clash, what] of siblings) {
        const o = explicit(get, name);
        if (o && clash)
          conflict(b, tres, o, `\`${o.written}\` and \`${tres.written}=${what}\` cannot be combined`);
      }
    }
  }
  // --begin later than --deadline (comparable only when both are absolute, or both relative).
  const begin = explicit(get, "begin");
  const deadline = explicit(get, "deadline");
  if (begin && deadline) {
    const x = values.parseTimePoint(begin.value ?? "");
    const y = values.parseTimePoint(deadline.value ?? "");
    let later = false;
    if (x.ok && y.ok && x.value.kind === "relative" && y.value.kind === "relative")
      later = x.value.seconds > y.value.seconds;
    if (x.ok && y.ok && x.value.kind === "absolute" && y.value.kind === "absolute")
      later = x.value.iso.endsWith("Z") === y.value.iso.endsWith("Z") && x.value.iso > y.value.iso;
    if (later) conflict(b, begin, deadline, `\`${deadline.written}\` is earlier than \`${begin.written}\``);
  }
  // --distribution=arbitrary with an explicit --nodes.
  const dist = explicit(get, "distribution");
  const nodes = explicit(get, "nodes");
  if (dist && nodes) {
    const d = values.parseDistribution(dist.value ?? "");
    if (d.ok && d.value.node === "arbitrary")
      conflict(
        b,
        dist,
        nodes,
        `\`${nodes.written}\` cannot be combined with \`${dist.written}=${dist.value}\``,
      );
  }
  // --segment with a node count it does not divide.
  const segment = explicit(get, "segment");
  if (segment && nodes) {
    const size = values.parseInteger(segment.value ?? "", { positive: true });
    const n = values.parseNodes(nodes.value ?? "");
    if (size.ok && n.ok) {
      const counts = [n.value.min, n.value.max ?? n.value.min];
      const bad = counts.find((c) => c % size.value !== 0);
      if (bad !== undefined)
        conflict(b, segment, nodes, `${bad} node(s) cannot be split into segments of ${size.value}`);
    }
  }
}

function checkExclusions(b: Builder, get: (name: string) => OptionOccurrence | undefined) {
  for (const group of EXCLUSIVE_GROUPS) {
    const given = group
      .map(get)
      .filter((o): o is OptionOccurrence => o !== undefined && o.source === "directive");
    if (given[0]?.spec.long === "gres" && !/gpu/.test(given[0].value ?? "")) continue;
    if (given.length < 2) continue;
    const [first, ...rest] = given;
    for (const o of rest) {
      b.diagnostics.push(
        diagnostic(
          "SBATCH029",
          `\`${o.written}\` and \`${first!.written}\` cannot be combined: sbatch refuses the script`,
          o.span,
          {
            notes: first!.span ? [{ message: `\`${first!.written}\` is given here`, span: first!.span }] : [],
            suggestions: [{ message: `keep one of ${given.map((g) => `\`${g.written}\``).join(", ")}` }],
          },
        ),
      );
      fate(b, o, "invalid", `conflicts with ${first!.written}`);
    }
  }
}

/** Whether two GPU types name one model (`tesla_v100` and `v100`), or, unknown, are spelled alike. */
function sameModel(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const model = (t: string) => values.gpuModelOf(t)?.model ?? t.toLowerCase();
  return model(a) === model(b);
}

interface GpuChoice {
  readonly count: number;
  readonly model: string;
  /** True when the script asked for GPUs (not the no-GPU default). */
  readonly explicit: boolean;
}

/**
 * GPUs per node and model from `--gpus-per-node`, `--gres`, `--gpus-per-task`, `--gpus`,
 * `-n` with `--ntasks-per-gpu` (that precedence, spec §8.6) and `--constraint` features; sets `instance_type` (`4xa100`). Counts round up to a
 * node size the catalog sells; models the catalog lacks map through the documented table.
 */
function gpuRequest(
  b: Builder,
  get: (name: string) => OptionOccurrence | undefined,
  nodes: number,
  tasksPerNode: number,
  ntasks: number | undefined,
  partitionHasType: boolean,
  tres: values.TresPerTask | undefined,
): GpuChoice | undefined {
  let count: number | undefined;
  let type: string | undefined;
  let decided: OptionOccurrence | undefined;
  const take = (o: OptionOccurrence, n: number, t: string | undefined, how: string) => {
    if (count === undefined) {
      count = n;
      type = t;
      decided = o;
      fate(b, o, "mapped", how);
    } else if (n === count && (t === undefined || sameModel(t, type))) {
      fate(b, o, "mapped", `GPUs already decided by ${decided?.written}`);
    } else {
      // another GPU request, asking something else: the first rule of spec §8.6 decides, and the
      // rest is said, not dropped quietly
      const first = decided!;
      b.diagnostics.push(
        diagnostic(
          "SBATCH020",
          `\`${occurrenceText(o)}\` is not used: \`${occurrenceText(first)}\` decides the GPUs (${count}${type ? ` ${type}` : ""} per node; the first of --gpus-per-node, --gres, --gpus-per-task, --gpus applies)`,
          o.valueSpan ?? o.span,
          {
            notes: first.span ? [{ message: `\`${first.written}\` is given here`, span: first.span }] : [],
            suggestions: [{ message: "keep one GPU request" }],
          },
        ),
      );
      fate(b, o, "overridden", `${first.written} decides the GPUs`);
    }
  };
  const perNode = get("gpus-per-node");
  if (perNode) {
    const v = parse(b, perNode, (t) => values.parseGpus(t, { option: "--gpus-per-node" }));
    const e = v?.entries[0];
    if (e) take(perNode, e.count, e.type, `${e.count} GPU(s) per node`);
  }
  const gres = get("gres");
  if (gres) {
    const v = parse(b, gres, values.parseGres);
    if (v) {
      const e = v.entries.find((x) => x.name === "gpu");
      const others = v.entries.filter((x) => x.name !== "gpu").map((x) => x.name);
      if (others.length > 0) {
        b.diagnostics.push(
          diagnostic(
            "SBATCH020",
            `--gres ${others.join(", ")} ignored: only GPUs exist on the cloud`,
            gres.valueSpan,
          ),
        );
      }
      if (e) take(gres, e.count, e.type, `${e.count} GPU(s) per node`);
      else fate(b, gres, "ignored", "no gpu in --gres");
    }
  }
  const perTask = get("gpus-per-task");
  if (perTask) {
    const v = parse(b, perTask, (t) => values.parseGpus(t, { option: "--gpus-per-task" }));
    const e = v?.entries[0];
    if (e)
      take(perTask, e.count * tasksPerNode, e.type, `${e.count} GPU(s) × ${tasksPerNode} task(s) per node`);
  }
  const tresOpt = get("tres-per-task");
  // --gpus-per-task beats `gres/gpu` from SBATCH_TRES_PER_TASK (both explicit: SBATCH029 above)
  if (tresOpt && tres?.gpus && !perTask) {
    const e = tres.gpus;
    take(tresOpt, e.count * tasksPerNode, e.type, `${e.count} GPU(s) × ${tasksPerNode} task(s) per node`);
  }
  const total = get("gpus");
  if (total) {
    const v = parse(b, total, (t) => values.parseGpus(t, { option: "--gpus" }));
    const e = v?.entries[0];
    if (e) take(total, Math.ceil(e.count / nodes), e.type, `${e.count} GPU(s) over ${nodes} node(s)`);
  }
  // spec §8.6 rule 5: `--ntasks-per-gpu` with `-n` asks for ntasks ÷ ntasks-per-gpu GPUs in all.
  const tasksPerGpu = get("ntasks-per-gpu");
  if (tasksPerGpu && ntasks !== undefined && count === undefined) {
    const v = parse(b, tasksPerGpu, values.parsePositiveInt);
    if (v !== undefined) {
      const n = Math.ceil(ntasks / v / nodes);
      take(tasksPerGpu, n, undefined, `${ntasks} task(s) ÷ ${v} per GPU over ${nodes} node(s)`);
    }
  }
  const constraint = get("constraint");
  if (constraint) {
    const v = parse(b, constraint, values.parseConstraint);
    const fromFeatures = v ? values.gpuModelFromFeatures(v.features) : undefined;
    if (fromFeatures && type === undefined) type = fromFeatures.model;
    if (v && fromFeatures) fate(b, constraint, "mapped", `GPU model ${fromFeatures.model}`);
    if (v && !fromFeatures) {
      // spec §8.13 [REC]: a GPU type only when every feature that names one names the same family
      const models = [
        ...new Set(v.features.map((f) => values.gpuModelOf(f)?.model).filter((m) => m !== undefined)),
      ];
      ignore(
        b,
        constraint,
        models.length > 1
          ? `it names several GPU models (${models.join(", ")}) and a node has one: name yours with --gres=gpu:<model>:N`
          : "node features other than GPU models have no meaning on the cloud",
      );
    }
    decided ??= fromFeatures ? constraint : undefined;
  }
  if (count === undefined && type === undefined && partitionHasType) return undefined;
  if (
    count === undefined &&
    [perNode, gres, perTask, tresOpt, total, tasksPerGpu].some((o) => o && b.fates.get(o)?.fate === "invalid")
  ) {
    return undefined; // the GPU option's own error says it all
  }
  if (count === undefined) {
    b.diagnostics.push(
      diagnostic(
        "SBATCH027",
        "no GPU requested: the cloud sells GPU instances, so the job gets one A100 (1xa100)",
        undefined,
        {
          suggestions: [
            { message: "add `#SBATCH --gres=gpu:<model>:<count>` (or --gpus-per-node) to choose" },
          ],
        },
      ),
    );
    count = 1;
  }
  let model = "a100";
  if (type !== undefined && values.namesNoModel(type)) {
    // `gpu:tesla:1`: a vendor or product line, not a model — as good as no type
    b.diagnostics.push(
      diagnostic(
        "SBATCH025",
        `\`${type}\` names a GPU line, not a model: using A100 80 GB`,
        decided?.valueSpan,
        { suggestions: [{ message: "name the model, e.g. `--gres=gpu:h100:8`" }] },
      ),
    );
  } else if (type !== undefined) {
    const cloud = cloudGpuModel(type);
    if (!cloud) {
      b.diagnostics.push(
        diagnostic("SBATCH026", `unknown GPU model \`${type}\``, decided?.valueSpan, {
          suggestions: CLOUD_GPU_MODELS.map((m) => ({ message: `use \`${m}\``, replacement: m })),
        }),
      );
      b.failedValue = true;
      return undefined;
    }
    model = cloud.model;
    if (cloud.mapped)
      b.diagnostics.push(diagnostic("SBATCH025", `GPU model mapped: ${cloud.mapped}`, decided?.valueSpan));
  } else if (decided) {
    b.diagnostics.push(
      diagnostic("SBATCH025", "no GPU model named: using A100 80 GB", decided.valueSpan, {
        suggestions: [{ message: "name it, e.g. `--gres=gpu:h100:8`" }],
      }),
    );
  }
  if (count > 8) {
    // `--gres=gpu:3090` is 3090 GPUs (spec §8.5's trap): the parser's note (SBATCH037, reported
    // with the value) says what was probably meant.
    b.diagnostics.push(
      diagnostic("SBATCH026", `${count} GPUs per node: cloud nodes have at most 8`, decided?.valueSpan, {
        suggestions: [{ message: `use ${Math.ceil(count / 8)} nodes (--nodes) with 8 GPUs each` }],
      }),
    );
    if (decided) fate(b, decided, "unsupported", `${count} GPUs per node`);
    b.failedValue = true;
    return undefined;
  }
  const size = NODE_GPU_COUNTS.find((n) => n >= count!) ?? 8;
  if (size !== count) {
    b.diagnostics.push(
      diagnostic(
        "SBATCH025",
        `${count} GPUs per node rounded up to ${size}, the next node size sold`,
        decided?.valueSpan,
      ),
    );
  }
  b.raw.instance_type = `${size}x${model}`;
  b.slurm.gpus_per_node = size;
  if (decided)
    fate(
      b,
      decided,
      "mapped",
      `instance_type ${size}x${model}${size !== count ? ` (${count} GPUs rounded up)` : ""}`,
    );
  record(b, "instance_type", decided);
  return { count: size, model, explicit: decided !== undefined };
}
