/**
 * Renders a submitit job as the sbatch file SlurmExecutor writes (spec/submitit.md §4,
 * `_make_sbatch_string`): its defaults (`--time=5`, `--nodes=1`, `--wckey=submitit`,
 * `--signal=USR2@90`, `--open-mode=append`, the log paths), `additional_parameters` merged over
 * everything, one `#SBATCH --key=value` line per key sorted by the raw key (so `-` before `_`),
 * values through `shlex.quote(str(v))`, then `# setup`, `# command` with the `srun` line, and
 * `# teardown`. The one difference: where submitit runs its pickle runner
 * (`python -u -m submitit.core._submit <folder>`), the document's own command runs.
 *
 * Besides the text, the rendering records where each piece came from (a segment map: offsets of
 * the rendered text → JSON spans), so that whatever the SLURM frontend says about a line is
 * reported at the JSON key or value that produced it.
 */
import { type Diagnostic, diagnostic } from "../../diagnostics/diagnostic.ts";
import { compareCodeUnits } from "../../source/code-units.ts";
import type { JsonNode } from "../../source/json.ts";
import type { Span } from "../../source/source-file.ts";
import type { Origin, Setting, SubmititJob, Word } from "./document.ts";

/** One rendered piece and the JSON span it reports at. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly target: Span;
  /** The rendered line (for notes: `submitit renders this as …`). */
  readonly line: string;
}

export interface Rendering {
  readonly text: string;
  readonly segments: readonly Segment[];
  /** The array size (`map_array` with more than one element), else undefined. */
  readonly arraySize: number | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** The `--output` path (batch-level log). */
  readonly output: string;
  /** Where submitit's own srun words are (`srun --unbuffered --output … --error …`). */
  readonly ownSrun: Span | undefined;
}

/** The signal submitit asks for before the time limit (`SUBMITIT_PREEMPT_SIGNAL`, default USR2). */
const PREEMPT_SIGNAL = "USR2";

/** Parameters `_make_sbatch_string` does not render as options (§4 step 1). */
const NOT_OPTIONS = new Set([
  "folder",
  "command",
  "map_count",
  "array_parallelism",
  "additional_parameters",
  "setup",
  "teardown",
  "signal_delay_s",
  "stderr_to_stdout",
  "srun_args",
  "use_srun",
]);

/** The defaults of `_make_sbatch_string`'s keyword parameters that are not None. */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  job_name: "submitit",
  time: 5,
  nodes: 1,
  signal_delay_s: 90,
  array_parallelism: 256,
  wckey: "submitit",
  stderr_to_stdout: false,
  use_srun: true,
};

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Python's `shlex.quote`. */
export function shlexQuote(s: string): string {
  if (s === "") return "''";
  if (SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** Python's `str()` of a JSON value as submitit renders it. */
export function pythonStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null || value === undefined) return "None";
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** JSON numbers written with a fraction or exponent are Python floats: `1.0` renders `1.0`. */
function pythonNumberText(node: JsonNode | undefined, value: unknown): string | undefined {
  if (node?.kind !== "number" || typeof value !== "number") return undefined;
  if (!/[.eE]/.test(node.text)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value);
}

/**
 * The rendered text, written in pieces. Linear in the text: the pieces are joined once, at the
 * end, and each segment's `line` is built from its own line's pieces. (Slicing each line out of
 * the growing text flattened the whole text per line, and every line kept its flattened copy
 * alive: memory quadratic in the script.)
 */
class Writer {
  /** Offset of the end of the text written so far. */
  length = 0;
  ownSrun: Span | undefined;
  readonly segments: Segment[] = [];
  private readonly lines: string[] = [];
  private linePieces: string[] = [];
  private pending: { start: number; end: number; target: Span }[] = [];

  write(piece: string, target?: Span): void {
    const start = this.length;
    this.linePieces.push(piece);
    this.length += piece.length;
    if (target) this.pending.push({ start, end: this.length, target });
  }

  endLine(): void {
    const line = this.linePieces.join("");
    for (const p of this.pending) this.segments.push({ ...p, line });
    this.pending = [];
    this.linePieces = [];
    this.lines.push(line);
    this.length++;
  }

  /** The text: every line ended, and the last unless `lastNewline` is false. */
  text(lastNewline = true): string {
    const text = this.lines.join("\n");
    return lastNewline && this.lines.length > 0 ? `${text}\n` : text;
  }

  line(piece: string, target?: Span): void {
    this.write(piece, target);
    this.endLine();
  }
}

interface Option {
  readonly value: unknown;
  readonly key: Span;
  readonly valueSpan: Span;
  readonly node?: JsonNode;
}

const keyOf = (o: Origin): Span => o.key ?? o.value;

/** Renders the sbatch file submitit would write for the job. */
export function renderSbatch(job: SubmititJob): Rendering {
  const diagnostics: Diagnostic[] = [];
  const p = new Map<string, Setting>(job.parameters);
  const setting = (name: string): Setting => p.get(name) ?? { value: DEFAULTS[name], origin: job.defaults };
  const options = new Map<string, Option>();
  const fromSetting = (s: Setting): Option => ({
    value: s.value,
    key: keyOf(s.origin),
    valueSpan: s.origin.value,
    ...(s.node ? { node: s.node } : {}),
  });

  // Step 1: every parameter that is set (defaults included) and renders as an option.
  for (const name of Object.keys(DEFAULTS))
    if (!p.has(name) && !NOT_OPTIONS.has(name)) p.set(name, setting(name));
  for (const [name, s] of p) if (!NOT_OPTIONS.has(name)) options.set(name, fromSetting(s));
  // Step 2: the signal, always.
  const delay = setting("signal_delay_s");
  options.set("signal", {
    value: `${PREEMPT_SIGNAL}@${pythonStr(delay.value)}`,
    key: keyOf(delay.origin),
    valueSpan: delay.origin.value,
  });
  // Step 3: legacy num_gpus.
  const numGpus = options.get("num_gpus");
  if (numGpus) {
    diagnostics.push(
      diagnostic(
        "SUBMITIT012",
        "submitit warns: `num_gpus` is deprecated and moved to `gpus_per_node`",
        numGpus.key,
        {
          suggestions: [{ message: "write `gpus_per_node` (or `slurm_gpus_per_node`)" }],
        },
      ),
    );
    options.delete("num_gpus");
    options.set("gpus_per_node", numGpus);
  }
  if (options.has("cpus_per_gpu") && !options.has("gpus_per_task")) {
    diagnostics.push(
      diagnostic(
        "SUBMITIT012",
        'submitit warns: "cpus_per_gpu" requires "gpus_per_task" to be set to work (and not "gpus_per_node")',
        options.get("cpus_per_gpu")!.key,
      ),
    );
  }
  // Steps 4–6: log paths, the array, open mode.
  const folder = job.folder.value;
  let stdout = `${folder}/%j_%t_log.out`;
  let stderr = `${folder}/%j_%t_log.err`;
  const count = job.mapArray?.elements.length;
  const arraySize = count !== undefined && count > 1 ? count : undefined;
  const folderAt = { key: keyOf(job.folder.origin), valueSpan: job.folder.origin.value };
  if (arraySize !== undefined && job.mapArray) {
    const parallelism = setting("array_parallelism");
    const limit = Math.min(arraySize, Number(parallelism.value));
    options.set("array", {
      value: `0-${arraySize - 1}%${limit}`,
      key: keyOf(job.mapArray.origin),
      valueSpan: job.mapArray.origin.value,
    });
    stdout = stdout.replaceAll("%j", "%A_%a");
    stderr = stderr.replaceAll("%j", "%A_%a");
  }
  options.set("output", { value: stdout.replaceAll("%t", "0"), ...folderAt });
  const merged = setting("stderr_to_stdout").value === true;
  if (!merged) options.set("error", { value: stderr.replaceAll("%t", "0"), ...folderAt });
  options.set("open-mode", { value: "append", key: keyOf(job.defaults), valueSpan: keyOf(job.defaults) });
  // Step 7: additional_parameters overwrite same-spelled keys.
  const extra = p.get("additional_parameters");
  if (extra?.node?.kind === "object") {
    for (const e of extra.node.entries) {
      const value =
        e.value.kind === "object" || e.value.kind === "array"
          ? undefined
          : (e.value as { value?: unknown }).value;
      options.set(e.key, {
        value: e.value.kind === "null" ? null : value,
        key: e.keySpan,
        valueSpan: e.value.span,
        node: e.value,
      });
    }
  }

  // Step 8–9: sorted by the raw key (code units: `-` < `_` < letters).
  const w = new Writer();
  w.line("#!/bin/bash");
  w.line("");
  w.line("# Parameters");
  for (const key of [...options.keys()].sort(compareCodeUnits)) {
    const o = options.get(key)!;
    const flag = `--${key.replaceAll("_", "-")}`;
    if (o.value === true) {
      w.write("#SBATCH ", o.key);
      w.write(flag, o.key);
    } else {
      w.write(`#SBATCH ${flag}`, o.key);
      w.write(`=${shlexQuote(pythonNumberText(o.node, o.value) ?? pythonStr(o.value))}`, o.valueSpan);
    }
    w.endLine();
  }
  // Step 10: setup.
  const setup = p.get("setup");
  if (setup) {
    w.line("");
    w.line("# setup");
    renderLines(w, setup);
  }
  // Step 11: the command.
  w.line("");
  w.line("# command");
  w.line("export SUBMITIT_EXECUTOR=slurm");
  renderCommand(w, job, {
    stdout,
    stderr: merged ? undefined : stderr,
    folderAt: folderAt.valueSpan,
    useSrun: setting("use_srun").value !== false,
    srunArgs: p.get("srun_args"),
    arraySize,
  });
  // `"\n".join(lines)`: one newline after the command line, two blank lines before `# teardown`.
  const teardown = p.get("teardown");
  if (teardown) {
    w.line("");
    w.line("");
    w.line("# teardown");
    renderLines(w, teardown);
  }
  // the join leaves no newline after the last line of a teardown
  const text = w.text(!teardown);
  const output = stdout.replaceAll("%t", "0");
  return { text, segments: w.segments, arraySize, diagnostics, ownSrun: w.ownSrun, output };
}

function renderLines(w: Writer, s: Setting): void {
  const node = s.node;
  const items = node?.kind === "array" ? node.items : [];
  for (const item of items) w.line(item.kind === "string" ? item.value : "", item.span);
}

interface CommandParts {
  readonly stdout: string;
  readonly stderr: string | undefined;
  readonly folderAt: Span;
  readonly useSrun: boolean;
  readonly srunArgs: Setting | undefined;
  readonly arraySize: number | undefined;
}

/** A heredoc delimiter that is no line of `text`. */
function delimiterFor(text: string): string {
  const lines = new Set(text.split("\n"));
  let d = "FLOW_SUBMITIT_SCRIPT";
  for (let i = 1; lines.has(d); i++) d = `FLOW_SUBMITIT_SCRIPT_${i}`;
  return d;
}

function renderCommand(w: Writer, job: SubmititJob, parts: CommandParts): void {
  const command = job.command;
  if (!command) return;
  const at = command.origin.value;
  const element = job.mapArray?.elements;
  // Array elements: each task picks its own arguments by SLURM_ARRAY_TASK_ID.
  if (parts.arraySize !== undefined && element) {
    w.line('case "$SLURM_ARRAY_TASK_ID" in', job.mapArray!.origin.key);
    element.forEach((words, i) => {
      w.write(`  ${i}) set --`, job.mapArray!.origin.key);
      for (const word of words) w.write(` ${shlexQuote(word.text)}`, word.span);
      w.write(" ;;");
      w.endLine();
    });
    w.line("esac", job.mapArray!.origin.key);
  }
  let scriptFile: string | undefined;
  if (command.kind === "script") {
    const delimiter = delimiterFor(command.text);
    w.line("flow_submitit_script=$(mktemp)", at);
    w.line(`cat > "$flow_submitit_script" <<'${delimiter}'`, at);
    const body = command.text.endsWith("\n") ? command.text.slice(0, -1) : command.text;
    for (const l of body.split("\n")) w.line(l, at);
    w.line(delimiter, at);
    if (command.text.startsWith("#!")) {
      w.line('chmod +x "$flow_submitit_script"', at);
      scriptFile = '"$flow_submitit_script"';
    } else {
      scriptFile = 'bash "$flow_submitit_script"';
    }
  }
  if (parts.useSrun) {
    const srun: [string, Span | undefined][] = [
      ["srun", undefined],
      ["--unbuffered", undefined],
      ["--output", parts.folderAt],
      [parts.stdout, parts.folderAt],
    ];
    if (parts.stderr !== undefined) srun.push(["--error", parts.folderAt], [parts.stderr, parts.folderAt]);
    const own = srun.length;
    const srunNode = parts.srunArgs?.node;
    if (srunNode?.kind === "array")
      for (const item of srunNode.items) srun.push([item.kind === "string" ? item.value : "", item.span]);
    const ownStart = w.length;
    srun.forEach(([word, span], i) => {
      w.write(`${i ? " " : ""}${shlexQuote(word)}`, span ?? at);
      if (i === own - 1) w.ownSrun = { start: ownStart, end: w.length };
    });
    w.write(" ");
  }
  const words: Word[] = [];
  if (command.kind === "argv") words.push(...command.words);
  words.push(...job.args);
  if (parts.arraySize === undefined && element?.[0]) words.push(...element[0]);
  if (command.kind === "line") w.write(command.text, at);
  else if (scriptFile !== undefined) w.write(scriptFile, at);
  for (const [i, word] of words.entries())
    w.write(`${i || scriptFile !== undefined ? " " : ""}${shlexQuote(word.text)}`, word.span);
  if (parts.arraySize !== undefined) w.write(' "$@"', job.mapArray?.origin.key);
  w.endLine();
}
