/**
 * The submitit frontend: a submitit parameter document (JSON, spec/submitit.md §7) → TaskConfig.
 *
 * 1. `readJson` reads the JSON with positions; `readDocument` validates it as AutoExecutor would
 *    (§3.3, §7.3) and resolves names and precedence.
 * 2. `renderSbatch` writes the sbatch file submitit itself would write (§4), recording for every
 *    piece the JSON span it came from.
 * 3. The SLURM frontend lowers that file — the one implementation of sbatch semantics, so
 *    `slurm_time: "1-00:00:00"`, `slurm_mem: "32G"` or `additional_parameters` mean exactly what
 *    sbatch makes of them.
 * 4. Every diagnostic, note and span-map entry is moved from the rendered file back to the JSON
 *    key or value that produced it (with a note quoting the rendered `#SBATCH` line); `env`,
 *    `cwd` and `cloud` are laid over the lowered task, which is validated again as a whole.
 * 5. A `script` (which the rendering wraps in a here-document the SLURM analysis does not read)
 *    gets the SLURM body analysis of its own, at the exact characters of its JSON string
 *    (script-body.ts); NUL characters and lone surrogates, which would otherwise be found only in
 *    the rendered file, are reported at the JSON string that holds them (text-values.ts).
 *
 * Never throws on any input.
 */
import {
  type Diagnostic,
  diagnostic,
  hasErrors,
  type Note,
  sortDiagnostics,
} from "../../diagnostics/diagnostic.ts";
import { pathKey, type SpanEntry } from "../../ir/span-map.ts";
import { validateTaskConfig } from "../../ir/validate.ts";
import { type JsonCodes, type JsonNode, readJson, toPlain } from "../../source/json.ts";
import { createSourceFile, positionOf, type SourceFile, type Span } from "../../source/source-file.ts";
import type { FrontendResult } from "../frontend.ts";
import { scanShell } from "../slurm/body/scan.ts";
import type { DirectiveFate } from "../slurm/fate.ts";
import { lowerSlurm, type SlurmLowerOptions } from "../slurm/lower.ts";
import { readDocument, type SubmititJob } from "./document.ts";
import { JsonStringMaps } from "./json-string.ts";
import { type Rendering, renderSbatch, type Segment } from "./render.ts";
import { analyzeScript, type ScriptAnalysis, type ScriptContext } from "./script-body.ts";
import { checkTextValues } from "./text-values.ts";

/** How a submitit document's JSON problems are reported. */
export const SUBMITIT_JSON: JsonCodes = { syntax: "SUBMITIT001", duplicate: "SUBMITIT002" };

/** What the submitit frontend returns besides the task: the rendered sbatch file. */
export interface SubmititLowerResult extends FrontendResult {
  readonly fates: DirectiveFate[];
  /** The sbatch text submitit would write for the document (absent when the document has errors). */
  readonly sbatch: string | undefined;
}

/** The spans of a JSON value and everything inside it, under IR path `path`. */
function recordNode(
  spans: Map<string, SpanEntry>,
  path: (string | number)[],
  node: JsonNode,
  key?: Span,
): void {
  spans.set(pathKey(path), key ? { key, value: node.span } : { value: node.span });
  if (node.kind === "object")
    for (const e of node.entries) recordNode(spans, [...path, e.key], e.value, e.keySpan);
  if (node.kind === "array")
    for (const [i, item] of node.items.entries()) recordNode(spans, [...path, i], item);
}

/** Moves spans of the rendered file to the JSON file. */
class SpanMover {
  readonly segments: readonly Segment[];
  readonly fallback: Span;
  constructor(rendering: Rendering, fallback: Span) {
    this.segments = rendering.segments;
    this.fallback = fallback;
  }

  /**
   * The last segment (in writing order) whose text holds `offset`, or that is empty at `offset`.
   * Segments are written in order and never overlap: a binary search finds the last one starting
   * at or before `offset`, and the walk back stops at the first that ends before it.
   */
  segmentAt(offset: number): Segment | undefined {
    const segments = this.segments;
    let lo = 0;
    let hi = segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (segments[mid]!.start <= offset) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const s = segments[i]!;
      if (offset < s.end || (s.start === s.end && s.start === offset)) return s;
      if (s.start < offset) return undefined; // ends at or before `offset`: so does every earlier one
    }
    return undefined;
  }

  move(span: Span): Span {
    return this.segmentAt(span.start)?.target ?? this.fallback;
  }

  moveNote(n: Note): Note {
    return n.span ? { message: n.message, span: this.move(n.span) } : n;
  }
}

/** Codes whose suggestions speak sbatch; for a submitit document they get submitit's words. */
const GPU_ADVICE =
  'choose GPUs with `gpus_per_node` and a model with `slurm_gpus_per_node: "h100:8"` or `slurm_constraint: "h100"`, or set `cloud.instance_type`';

/** Rewrites a diagnostic of the rendered file as one of the JSON file. */
function moveDiagnostic(d: Diagnostic, mover: SpanMover): Diagnostic {
  const segment = d.span ? mover.segmentAt(d.span.start) : undefined;
  const notes = d.notes.map((n) => mover.moveNote(n));
  if (segment?.line.startsWith("#SBATCH"))
    notes.push({ message: `submitit renders this as \`${segment.line}\`` });
  const gpu = d.code === "SBATCH027" || (d.code === "SBATCH025" && d.message.startsWith("no GPU model"));
  const suggestions = gpu ? [{ message: GPU_ADVICE }] : d.suggestions.map((s) => ({ message: s.message })); // replacements are sbatch text, not JSON
  return {
    ...d,
    // Line numbers of the rendered file mean nothing in the JSON; the notes point at the places.
    message: d.message.replace(/ on line \d+/g, "").replace(/ \(line \d+\)/g, ""),
    // a job-wide remark of the rendered file (no GPU requested…) points where the defaults do
    span: d.span ? mover.move(d.span) : mover.fallback,
    notes,
    suggestions,
  };
}

/** Whether a diagnostic of the rendered file is about something the user did not write. */
function isNoise(
  d: Diagnostic,
  rendering: Rendering,
  mover: SpanMover,
  job: SubmititJob,
  cloudType: boolean,
): boolean {
  if (cloudType && (d.code === "SBATCH025" || d.code === "SBATCH027")) return true;
  if (!d.span) return false;
  // submitit's own srun flags: the shim's words about them are replaced by SUBMITIT014.
  const own = rendering.ownSrun;
  if (d.code === "SBATCH032" && own && d.span.start >= own.start && d.span.start < own.end) return true;
  // Lines of submitit's defaults (`--wckey=submitit`): not the user's, so no warning about them.
  if (d.code !== "SBATCH020") return false;
  const defaults = job.defaults.key ?? job.defaults.value;
  const target = mover.segmentAt(d.span.start)?.target;
  return target?.start === defaults.start && target.end === defaults.end;
}

/** Compiles a submitit parameter document to a TaskConfig. Never throws on any input. */
export function lowerSubmitit(file: SourceFile, options: SlurmLowerOptions = {}): SubmititLowerResult {
  const rootSpan: Span = { start: 0, end: 0 };
  const none = (diagnostics: readonly Diagnostic[]): SubmititLowerResult => ({
    value: undefined,
    spans: new Map([["", { value: rootSpan }]]),
    diagnostics: sortDiagnostics(diagnostics),
    fates: [],
    sbatch: undefined,
  });
  const read = readJson(file.text, SUBMITIT_JSON);
  if (!read.root) return none(read.diagnostics);
  const doc = readDocument(read.root);
  const job = doc.job;
  // The literals' offset maps, each built once and only when a span must be moved into one.
  const maps = new JsonStringMaps(file.text);
  const early = [...read.diagnostics, ...doc.diagnostics, ...(job ? checkTextValues(maps, job) : [])];
  if (!job || hasErrors(early)) return none(early);

  const noSrun = job.parameters.get("use_srun")?.value === false;
  // The script's analysis depends on the lowered job (nodes, image); one made before lowering is
  // kept when the lowering confirms its context.
  let analyzed: { context: ScriptContext; analysis: ScriptAnalysis | undefined } | undefined;
  const analyze = (context: ScriptContext): ScriptAnalysis | undefined => {
    const c = analyzed?.context;
    if (
      !analyzed ||
      c?.numNodes !== context.numNodes ||
      c.hasImage !== context.hasImage ||
      c.underSrun !== context.underSrun
    )
      analyzed = { context, analysis: analyzeScript(maps, job.command, context) };
    return analyzed.analysis;
  };
  const moduleMap = options.moduleMap ? { moduleMap: options.moduleMap } : {};
  // Without srun the batch script runs the script itself: srun steps of the script are the job's
  // steps, which the rendered batch script does not show (a `--signal` without `B:` reaches them).
  const externalSrunSteps =
    noSrun &&
    job.command?.kind === "script" &&
    analyze({ ...moduleMap, numNodes: 1, hasImage: false, underSrun: false })?.usesSrun === true;

  const rendering = renderSbatch(job);
  const rendered = createSourceFile(file.name, rendering.text);
  const lowered = lowerSlurm(rendered, {
    ...options,
    set: {}, // a JSON value is never a template: placeholders stay literal, as sbatch reads them
    ...(externalSrunSteps ? { externalSrunSteps } : {}),
  });
  const fallback = job.defaults.key ?? job.defaults.value;
  const mover = new SpanMover(rendering, fallback);
  const cloudType = job.cloud.some((e) => e.key === "instance_type");
  const diagnostics: Diagnostic[] = [...early, ...rendering.diagnostics];
  const cloudImage = job.cloud.find((e) => e.key === "image")?.value;
  const partition = lowered.value?.slurm?.partition;
  const partitionImage =
    partition !== undefined && options.partitionMap && Object.hasOwn(options.partitionMap, partition)
      ? options.partitionMap[partition]?.image
      : undefined;
  // The task's own image; an image the lowering took from a module of `slurm_setup` is not one.
  const ownImage = cloudImage?.kind === "string" ? cloudImage.value : (options.image ?? partitionImage);
  const script = analyze({
    ...moduleMap,
    numNodes: lowered.value?.num_instances ?? 1,
    hasImage: ownImage !== undefined,
    underSrun: !noSrun,
  });
  if (script) diagnostics.push(...script.diagnostics);
  for (const d of lowered.diagnostics) {
    if (isNoise(d, rendering, mover, job, cloudType)) continue;
    if (lowered.value && d.code.startsWith("IR")) continue; // validated again below, with the overlay
    const moved = moveDiagnostic(d, mover);
    // "Commands outside srun run on every node": for submitit that is what `slurm_use_srun: false` asked.
    diagnostics.push(
      d.code === "SBATCH035" && noSrun && d.message.includes("SPMD")
        ? {
            ...moved,
            suggestions: [
              { message: "remove `slurm_use_srun: false`: srun starts the command's tasks on every node" },
              {
                message:
                  'or run it on the first node only: write the command as `if [ "$SLURM_NODEID" = 0 ]; then …; fi`',
              },
            ],
          }
        : moved,
    );
  }
  if (!job.timeGiven) {
    diagnostics.push(
      diagnostic(
        "SUBMITIT010",
        "no `timeout_min`: submitit asks Slurm for 5 minutes (`--time=5`), so the job is stopped after 5 minutes",
        fallback,
        { suggestions: [{ message: 'set `"timeout_min"` (minutes) in `parameters`' }] },
      ),
    );
  }
  const tasks = lowered.value?.slurm;
  const manyTasks = (tasks?.ntasks_per_node ?? 1) > 1 || (lowered.value?.num_instances ?? 1) > 1;
  if (job.parameters.get("use_srun")?.value !== false && job.command && manyTasks) {
    diagnostics.push(
      diagnostic(
        "SUBMITIT014",
        `per-task logs (\`…_%t_log.out\`) are not written on the cloud: the tasks of a node write to the job's log \`${rendering.output}\``,
        job.folder.origin.key ?? fallback,
      ),
    );
  }

  // A string command is used verbatim after `srun …` (spec §7.3): only its first command runs as
  // the tasks; the rest runs once, in the batch script — rarely what was meant.
  const command = job.command;
  if (command?.kind === "line" && job.parameters.get("use_srun")?.value !== false) {
    const commands = commandCount(command.text);
    if (commands > 1) {
      diagnostics.push(
        diagnostic(
          "SUBMITIT016",
          `the command line holds ${commands} commands: after \`srun …\` only the first runs as the tasks, the others run once in the batch script`,
          command.origin.value,
          {
            suggestions: [
              { message: 'write it as one program: ["bash", "-c", "…"], or a script file' },
              { message: "or set `slurm_use_srun: false` to run the whole line once" },
            ],
          },
        ),
      );
    }
  }

  // The span map, moved to the JSON file.
  const spans = new Map<string, SpanEntry>();
  for (const [path, entry] of lowered.spans) {
    spans.set(path, {
      value: path === "" ? rootSpan : mover.move(entry.value),
      ...(entry.key ? { key: mover.move(entry.key) } : {}),
    });
  }
  const fates = lowered.fates.map((f) => {
    const start = rendered.lineStarts[f.line - 1];
    const target = start !== undefined ? mover.segmentAt(start)?.target : undefined;
    return { ...f, line: target ? positionOf(file, target.start).line : 0 };
  });
  const result = (value: FrontendResult["value"], diags: readonly Diagnostic[]): SubmititLowerResult => ({
    value,
    spans,
    diagnostics: sortDiagnostics(diags),
    fates,
    sbatch: rendering.text,
  });
  if (!lowered.value) return result(undefined, diagnostics);

  // env, cwd and cloud over the lowered task; then the whole task is validated again.
  const raw = structuredClone(lowered.value) as Record<string, unknown>;
  if (job.env.length > 0) {
    const env = { ...((raw.env as Record<string, string> | undefined) ?? {}) };
    for (const e of job.env) {
      env[e.name] = e.value;
      spans.set(pathKey(["env", e.name]), { key: e.key, value: e.span });
    }
    raw.env = env;
    if (job.envOrigin)
      spans.set("env", { key: job.envOrigin.key ?? job.envOrigin.value, value: job.envOrigin.value });
  }
  if (script?.modules) {
    // the script's `module` commands are answered by the same emulation as the batch script's
    const slurm = (raw.slurm ?? {}) as Record<string, unknown>;
    slurm.modules = { ...((slurm.modules as Record<string, string> | undefined) ?? {}), ...script.modules };
    raw.slurm = slurm;
  }
  const moduleImage = scriptModuleImage(script, ownImage, lowered.value.image, job);
  if (moduleImage.image) {
    raw.image = moduleImage.image.image;
    spans.set("image", { value: moduleImage.image.span });
  }
  diagnostics.push(...moduleImage.diagnostics);
  if (job.cwd) {
    raw.working_dir = job.cwd.value;
    spans.set("working_dir", {
      key: job.cwd.origin.key ?? job.cwd.origin.value,
      value: job.cwd.origin.value,
    });
  }
  for (const e of job.cloud) {
    raw[e.key] = toPlain(e.value);
    for (const k of [...spans.keys()]) if (k === e.key || k.startsWith(`${e.key}.`)) spans.delete(k);
    recordNode(spans, [e.key], e.value, e.keySpan);
  }
  if (
    cloudType &&
    !job.parameters.has("gpus_per_node") &&
    !job.parameters.has("gres") &&
    !job.parameters.has("gpus_per_task")
  ) {
    // No GPU parameter: the GPU count of the emulated job is the chosen type's, not the no-GPU default.
    const slurm = raw.slurm as Record<string, unknown> | undefined;
    if (slurm) delete slurm.gpus_per_node;
  }
  const validated = validateTaskConfig(raw, spans);
  const all = [...diagnostics, ...validated.diagnostics];
  return result(hasErrors(all) ? undefined : validated.value, all);
}

/**
 * The image a module of the script gives the task through the module map (as a module of a batch
 * script does): only when the task has no image of its own, and only the first mapped module's. An
 * image already taken from a module of `slurm_setup` stays; a different one is a conflict.
 */
function scriptModuleImage(
  script: ScriptAnalysis | undefined,
  ownImage: string | undefined,
  loweredImage: string | undefined,
  job: SubmititJob,
): { image: ScriptAnalysis["moduleImage"]; diagnostics: Diagnostic[] } {
  const mapped = script?.moduleImage;
  if (!mapped || ownImage !== undefined) return { image: undefined, diagnostics: [] };
  if (loweredImage === undefined) return { image: mapped, diagnostics: [] };
  if (loweredImage === mapped.image) return { image: undefined, diagnostics: [] };
  const setup = job.parameters.get("setup")?.origin;
  return {
    image: undefined,
    diagnostics: [
      diagnostic(
        "SBATCH030",
        `conflicting images: the module map gives \`${mapped.name}\` the image \`${mapped.image}\`, but a module of \`slurm_setup\` already chose \`${loweredImage}\`; a task runs in one image`,
        mapped.span,
        {
          ...(setup
            ? { notes: [{ message: `\`slurm_setup\` chose \`${loweredImage}\``, span: setup.value }] }
            : {}),
          suggestions: [{ message: "map one of the modules to a setup step, or to the same image" }],
        },
      ),
    ],
  };
}

/** Commands bash runs for a command line, not counting those inside `$(…)` (the body scanner's count). */
function commandCount(line: string): number {
  let count = 0;
  scanShell(line, 0, "SLURM", {
    command: (cmd) => {
      if (!cmd.nested) count++;
    },
    variable: () => {},
    assignment: () => {},
  });
  return count;
}
