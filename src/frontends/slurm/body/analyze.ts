/**
 * Compile-time analysis of a batch script's body: what the script will do on the instance, where
 * it runs in full under the SLURM emulation (SLURM_* variables, an srun shim, `scontrol show
 * hostnames`, failing shims for the scheduler commands; on multi-node jobs every node runs it).
 *
 * Guarantees:
 * - every command bash would run is seen once, including those inside `$(…)` and backticks;
 *   nothing inside a comment or a here-document body is ever reported, no command inside a quoted
 *   string, and no variable inside single quotes (`"$SLURM_X"` is expanded by bash, so it counts);
 * - each finding is a diagnostic at the exact span of the command word, the offending srun option
 *   or the variable name, saying what will happen on the cloud and how to map it (SBATCH030–035);
 * - facts (modules, srun use, SLURM variables, conda envs, venvs, containers) are collected for the
 *   lowering, in source order;
 * - it never throws, runs in one pass in time linear in the text, and analyses nothing when the
 *   `#!` line names a non-shell interpreter (the body is then not shell code).
 */
import { type Diagnostic, diagnostic, type Note, type Suggestion } from "../../../diagnostics/diagnostic.ts";
import type { SourceFile, Span } from "../../../source/source-file.ts";
import { lookupCommand, unwrap } from "./commands.ts";
import { type BodyContext, code, commandText, type FactsBuilder, wordSpan } from "./context.ts";
import { type ShellCommand, type ShellVisitor, scanShell, type VariableForm } from "./scan.ts";
import {
  closestEmulatedVariable,
  EMULATED_SLURM_VARIABLES,
  missingVariableAdvice,
  SRUN_TASK_VARIABLES,
} from "./slurm-variables.ts";

/** How the task around the script is set up. */
export interface BodyAnalysisOptions {
  /**
   * What stands in for an environment module on the instance, by module name (`cuda/12.1`) or
   * family (`cuda`): an image, a setup step, or both.
   */
  readonly moduleMap?: Readonly<Record<string, { image?: string; setup?: string }>>;
  /** Instances the job runs on; above 1 every node runs the whole script. */
  readonly numNodes: number;
  /** Whether the task already has an image (its script then runs inside that container). */
  readonly hasImage: boolean;
  /**
   * The script runs as a task srun started (a submitit `script` under srun), not as a batch
   * script: the variables srun sets inside its tasks (SLURM_STEP_ID …) are set, and running on
   * every node is what srun was asked to do, so neither is reported.
   */
  readonly inSrunTask?: boolean;
  /**
   * Whether to warn that every node runs the script (SPMD emulation, SBATCH035; default true).
   * Off where the caller gives that warning at the place that starts the script.
   */
  readonly spmdWarning?: boolean;
}

/** What the body needs from the instance, in source order. */
export interface BodyFacts {
  /** Every module a `module load`/`ml` names, with the span of its name. */
  readonly modules: { name: string; span: Span }[];
  /** Whether the script runs `module` or `ml` at all (then flow's `module` answers on the instance). */
  readonly usesModules: boolean;
  readonly usesSrun: boolean;
  /** Distinct SLURM_* (and SLURMD_*) variables the script reads, emulated or not. */
  readonly slurmVariables: string[];
  /** Conda environments activated (`base` when none is named). */
  readonly condaEnvs: string[];
  /** Virtualenv directories activated, as written. */
  readonly venvs: string[];
  readonly containers: { runtime: "singularity" | "apptainer" | "docker" | "enroot"; span: Span }[];
}

/** Interpreters whose scripts this analysis reads as shell code. */
const SHELLS = new Set(["sh", "bash", "zsh", "ksh", "mksh", "dash", "ash", "csh", "tcsh", "busybox"]);

interface VariableUse {
  readonly start: number;
  readonly end: number;
  count: number;
  allDefault: boolean;
}

/** The interpreter a `#!` line names (looking through `env`), or undefined without one. */
function interpreterOf(text: string, from: number): { name: string; args: string[] } | undefined {
  if (!text.startsWith("#!", from)) return undefined;
  let eol = text.indexOf("\n", from);
  if (eol < 0) eol = text.length;
  const words = text
    .slice(from + 2, eol)
    .trim()
    .split(/\s+/);
  let k = 0;
  let name = words[0]?.slice(words[0].lastIndexOf("/") + 1) ?? "";
  if (name === "env") {
    k = 1;
    while (k < words.length && (words[k]!.startsWith("-") || words[k]!.includes("="))) k++;
    name = words[k]?.slice(words[k]!.lastIndexOf("/") + 1) ?? "";
  }
  return { name, args: words.slice(k + 1) };
}

/** Trap handlers analysed per script, at most. */
const MAX_NESTED_SCANS = 32;

class BodyAnalysis implements ShellVisitor, BodyContext {
  readonly text: string;
  readonly options: BodyAnalysisOptions;
  readonly facts: FactsBuilder = {
    modules: [],
    usesModules: false,
    usesSrun: false,
    slurmVariables: [],
    condaEnvs: [],
    venvs: [],
    containers: [],
  };
  readonly diagnostics: Diagnostic[] = [];
  private errexit: Span | undefined;
  private spmdDone = false;
  private image: { image: string; what: string; span: Span } | undefined;
  private readonly variables = new Map<string, VariableUse>();
  private readonly assigned = new Map<string, number>();
  private nestedScans = 0;

  constructor(text: string, options: BodyAnalysisOptions) {
    this.text = text;
    this.options = options;
  }

  setErrexit(span: Span | undefined): void {
    this.errexit = span;
  }

  command(cmd: ShellCommand): void {
    this.dispatch(cmd, cmd.first, false);
  }

  variable(start: number, end: number, form: VariableForm): void {
    const sep = this.text.charCodeAt(start + 5);
    if (sep !== 95 /* _ */ && !(sep === 68 /* D */ && this.text.charCodeAt(start + 6) === 95)) return;
    const name = this.text.slice(start, end);
    let use = this.variables.get(name);
    if (!use) {
      use = { start, end, count: 0, allDefault: true };
      this.variables.set(name, use);
      this.facts.slurmVariables.push(name);
    }
    use.count++;
    if (form !== "default") use.allDefault = false;
  }

  assignment(start: number, end: number): void {
    const name = this.text.slice(start, end);
    if (!this.assigned.has(name)) this.assigned.set(name, start);
  }

  failureNotes(): Note[] {
    if (!this.errexit) return [];
    return [
      {
        message: "`set -e` is in effect: unless its status is checked, the script stops here",
        span: this.errexit,
      },
    ];
  }

  chooseImage(
    image: string,
    what: string,
    span: Span,
  ): { image: string; what: string; span: Span } | undefined {
    if (!this.image) {
      this.image = { image, what, span };
      return undefined;
    }
    return this.image.image === image ? undefined : this.image;
  }

  dispatch(cmd: ShellCommand, i: number, launched: boolean): void {
    let at = i;
    for (let hops = 0; at < cmd.count && hops < 8; hops++) {
      const entry = lookupCommand(cmd, at);
      if (entry === undefined) break;
      if (entry.wraps) {
        at = unwrap(cmd, at, entry.name);
        continue;
      }
      entry.rule?.(this, cmd, at, entry.name);
      if (!launched && !cmd.nested && !entry.nodeLocal) this.checkSpmd(cmd, at);
      return;
    }
    if (at < cmd.count && !launched && !cmd.nested) this.checkSpmd(cmd, at);
  }

  scanNested(start: number, end: number): void {
    // Each scan copies the text before the handler: a bounded number keeps a script of thousands
    // of traps linear.
    if (++this.nestedScans > MAX_NESTED_SCANS) return;
    // The file's text up to `end`: spans stay file offsets, and the scan stops at the handler's end.
    scanShell(this.text.slice(0, end), start, "SLURM", this);
  }

  trackNodeGuard(cmd: ShellCommand, i: number): void {
    if (this.spmdDone) return;
    for (let k = i + 1; k < cmd.count; k++) {
      const raw = this.text.slice(cmd.start(k), cmd.end(k));
      if (raw.includes("SLURM_NODEID") || raw.includes("SLURM_PROCID")) {
        this.spmdDone = true;
        return;
      }
    }
  }

  private checkSpmd(cmd: ShellCommand, i: number): void {
    const nodes = this.options.numNodes;
    if (this.spmdDone || !(nodes > 1) || this.options.inSrunTask || this.options.spmdWarning === false)
      return;
    this.spmdDone = true;
    const shown = commandText(cmd, i, Math.min(cmd.count, i + 3));
    this.diagnostics.push(
      diagnostic(
        "SBATCH035",
        `this job has ${nodes} nodes and every node runs the batch script (SPMD emulation): ${code(shown)} runs on each of them, where sbatch would run it once, on the first node`,
        wordSpan(cmd, i),
        {
          suggestions: [
            { message: "start it with `srun` (the shim starts its tasks on every node)" },
            { message: 'or run it on the first node only: `if [ "$SLURM_NODEID" = 0 ]; then …; fi`' },
          ],
        },
      ),
    );
  }

  trackErrexit(cmd: ShellCommand, i: number): void {
    for (let k = i + 1; k < cmd.count; k++) {
      const w = cmd.value(k);
      if (/^-[A-Za-z]*e/.test(w) || (w === "-o" && cmd.value(k + 1) === "errexit"))
        this.errexit = wordSpan(cmd, i);
      else if (/^\+[A-Za-z]*e/.test(w) || (w === "+o" && cmd.value(k + 1) === "errexit"))
        this.errexit = undefined;
    }
  }

  trackAssignments(cmd: ShellCommand, i: number): void {
    for (let k = i + 1; k < cmd.count; k++) {
      const match = /^(SLURMD?_[A-Za-z0-9_]*)(?:=|$)/.exec(cmd.value(k));
      if (match && !this.assigned.has(match[1]!)) this.assigned.set(match[1]!, cmd.start(k));
    }
  }

  /** SBATCH035 for every variable read that the emulation does not set, at its first reference. */
  reportVariables(): void {
    for (const [name, use] of this.variables) {
      if (EMULATED_SLURM_VARIABLES.has(name)) continue;
      if (this.options.inSrunTask && SRUN_TASK_VARIABLES.has(name)) continue;
      const assignedAt = this.assigned.get(name);
      if (assignedAt !== undefined && assignedAt <= use.start) continue;
      const advice = missingVariableAdvice(name);
      const unset = use.allDefault ? "unset, so the default the script gives applies" : "unset";
      const message = SRUN_TASK_VARIABLES.has(name)
        ? `${code(name)} is set only inside tasks started by srun: the batch script sees it ${unset}`
        : `${code(name)} is not emulated on the instance: the script sees it ${unset}${advice ? ` (${advice.reason})` : ""}`;
      const suggestions: Suggestion[] = [];
      if (advice?.instead) suggestions.push({ message: `use ${advice.instead} instead` });
      const typo = advice ? undefined : closestEmulatedVariable(name);
      if (typo) suggestions.push({ message: `did you mean ${code(typo)}?`, replacement: typo });
      const notes =
        use.count > 1
          ? [{ message: `${code(name)} is read ${use.count} times; only the first is reported` }]
          : [];
      this.diagnostics.push(
        diagnostic(
          "SBATCH035",
          message,
          { start: use.start, end: use.end },
          {
            severity: use.allDefault ? "info" : "warning",
            notes,
            suggestions,
          },
        ),
      );
    }
  }
}

/** The start of the line holding `bodyStart`, or of an earlier line that is not blank or a comment. */
function scanStart(text: string, from: number, bodyStart: number): number {
  const limit = Math.max(from, Math.min(bodyStart, text.length));
  let line = from;
  while (line < limit) {
    let p = line;
    while (p < limit) {
      const c = text.charCodeAt(p);
      if (c !== 32 && c !== 9 && c !== 13) break;
      p++;
    }
    const c = text.charCodeAt(p);
    if (p < limit && c !== 10 && c !== 35 /* # */) return line;
    const eol = text.indexOf("\n", p);
    if (eol < 0 || eol >= limit) break;
    line = eol + 1;
  }
  return line;
}

/**
 * Analyses the body of the batch script `file` for what the cloud emulation cannot do.
 *
 * `bodyStart` is where sbatch stopped reading directives. bash runs the whole file, so the scan
 * starts at the line holding `bodyStart` only when every line before it is blank or a comment (no
 * quote or here-document can then be open); otherwise at the first line that is neither.
 */
export function analyzeBody(
  file: SourceFile,
  bodyStart: number,
  options: BodyAnalysisOptions,
): { facts: BodyFacts; diagnostics: Diagnostic[] } {
  const text = file.text;
  const analysis = new BodyAnalysis(text, options);
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const interpreter = interpreterOf(text, start);
  if (interpreter && !SHELLS.has(interpreter.name)) return { facts: analysis.facts, diagnostics: [] };
  if (interpreter?.args.some((a) => /^-[A-Za-z]*e/.test(a))) {
    const eol = text.indexOf("\n", start);
    analysis.setErrexit({ start, end: eol < 0 ? text.length : eol });
  }
  scanShell(text, scanStart(text, start, bodyStart), "SLURM", analysis);
  analysis.reportVariables();
  const diagnostics = analysis.diagnostics;
  diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  return { facts: analysis.facts, diagnostics };
}
