/**
 * srun's command line as srun itself reads it (getopt_long with `+`: options stop at the first
 * word that is not one, or at `--`; unambiguous prefixes of long options are accepted; a short
 * option's value may be attached, `-n4`, or the next word), and what the instance's srun shim does
 * with each option. Reading the options exactly matters beyond reporting them: it is how the
 * program srun launches is found (`srun -n 4 singularity exec …`).
 */
import { closest } from "../../../diagnostics/did-you-mean.ts";
import { type ShellCommand, WORD_EXPANDS, WORD_QUOTED } from "./scan.ts";

/** What the shim does with an option: honours it, or ignores it with a given consequence. */
export type SrunOptionKind =
  /** Honoured by the shim: `-n`, `-N`, `--ntasks-per-node`, `-c`, `--gpus*`, `--gres`, `--export`, `-l`. */
  | "honoured"
  /** Ignored, and nothing about the tasks changes (names, accounting, scheduling, verbosity). */
  | "harmless"
  /** Ignored: tasks are not pinned to CPUs, memory or GPUs as asked. */
  | "binding"
  /** Ignored, and the number of tasks may differ from what srun would start. */
  | "task-count"
  /** Ignored: tasks are laid out block-wise over all the job's nodes. */
  | "placement"
  /** Ignored: per-task output/input files are not used. */
  | "io"
  /** Ignored: tasks start in the script's working directory. */
  | "chdir"
  /** Ignored: there is no terminal. */
  | "interactive"
  /** Ignored: the configuration file would itself be run as the program. */
  | "multi-prog"
  /** Heterogeneous steps: only the first component runs. */
  | "heterogeneous"
  /** Ignored: concurrent steps are not given dedicated resources. */
  | "sharing"
  /** Ignored: the shim provides no PMI/PMIx. */
  | "mpi"
  /** A container option (native `--container` or pyxis `--container-*`). */
  | "container"
  /** Ignored: prolog/epilog programs are not run. */
  | "prolog"
  /** Ignored: there is only this job to attach to. */
  | "jobid";

/** One srun option. `arg`: 0 none, 1 required, 2 optional (only as `--opt=value` or `-xvalue`). */
export interface SrunOption {
  readonly name: string;
  readonly short?: string;
  readonly arg: 0 | 1 | 2;
  readonly kind: SrunOptionKind;
}

const o = (name: string, arg: 0 | 1 | 2, kind: SrunOptionKind, short?: string): SrunOption =>
  short === undefined ? { name, arg, kind } : { name, arg, kind, short };

/**
 * srun's options (Slurm 23–24, the older spellings `--cpu_bind`, `--mem_bind`, `--workdir`,
 * `--share`, and the pyxis plugin's), with what the shim does with each.
 */
export const SRUN_OPTIONS: readonly SrunOption[] = [
  o("ntasks", 1, "honoured", "n"),
  o("nodes", 1, "honoured", "N"),
  o("ntasks-per-node", 1, "honoured"),
  o("tasks-per-node", 1, "honoured"),
  o("cpus-per-task", 1, "honoured", "c"),
  o("gpus", 1, "honoured", "G"),
  o("gpus-per-node", 1, "honoured"),
  o("gpus-per-task", 1, "honoured"),
  o("gpus-per-socket", 1, "honoured"),
  o("gres", 1, "honoured"),
  o("export", 1, "honoured"),
  o("label", 0, "honoured", "l"),

  o("account", 1, "harmless", "A"),
  o("acctg-freq", 1, "harmless"),
  o("autocomplete", 1, "harmless"),
  o("bb", 1, "harmless"),
  o("bbf", 1, "harmless"),
  o("bcast", 2, "harmless"),
  o("bcast-exclude", 1, "harmless"),
  o("begin", 1, "harmless", "b"),
  o("cluster-constraint", 1, "harmless"),
  o("cluster", 1, "harmless"),
  o("clusters", 1, "harmless", "M"),
  o("comment", 1, "harmless"),
  o("compress", 2, "harmless"),
  o("constraint", 1, "harmless", "C"),
  o("context", 1, "harmless"),
  o("core-spec", 1, "harmless", "S"),
  o("cpu-freq", 1, "harmless"),
  o("deadline", 1, "harmless"),
  o("debugger-test", 0, "harmless"),
  o("delay-boot", 1, "harmless"),
  o("dependency", 1, "harmless", "d"),
  o("disable-status", 0, "harmless", "X"),
  o("external-launcher", 0, "harmless"),
  o("extra", 1, "harmless"),
  o("extra-node-info", 1, "harmless", "B"),
  o("get-user-env", 2, "harmless"),
  o("gid", 1, "harmless"),
  o("gpu-freq", 1, "harmless"),
  o("gres-flags", 1, "harmless"),
  o("help", 0, "harmless", "h"),
  o("hold", 0, "harmless", "H"),
  o("immediate", 2, "harmless", "I"),
  o("job-name", 1, "harmless", "J"),
  o("kill-on-bad-exit", 2, "harmless", "K"),
  o("licenses", 1, "harmless", "L"),
  o("mail-type", 1, "harmless"),
  o("mail-user", 1, "harmless"),
  o("mcs-label", 1, "harmless"),
  o("mem", 1, "harmless"),
  o("mem-per-cpu", 1, "harmless"),
  o("mem-per-gpu", 1, "harmless"),
  o("mincpus", 1, "harmless"),
  o("msg-timeout", 1, "harmless"),
  o("network", 1, "harmless"),
  o("nice", 2, "harmless"),
  o("no-allocate", 0, "harmless", "Z"),
  o("no-kill", 2, "harmless", "k"),
  o("oom-kill-step", 2, "harmless"),
  o("open-mode", 1, "harmless"),
  o("partition", 1, "harmless", "p"),
  o("power", 1, "harmless"),
  o("prefer", 1, "harmless"),
  o("preserve-env", 0, "harmless", "E"),
  o("priority", 1, "harmless"),
  o("profile", 1, "harmless"),
  o("propagate", 2, "harmless"),
  o("qos", 1, "harmless", "q"),
  o("quiet", 0, "harmless", "Q"),
  o("quit-on-interrupt", 0, "harmless"),
  o("reboot", 0, "harmless"),
  o("reservation", 1, "harmless"),
  o("resv-ports", 2, "harmless"),
  o("segment", 1, "harmless"),
  o("send-libs", 2, "harmless"),
  o("signal", 1, "harmless"),
  o("slurmd-debug", 1, "harmless"),
  o("spread-job", 0, "harmless"),
  o("stepmgr", 0, "harmless"),
  o("switches", 1, "harmless"),
  o("test-only", 0, "harmless"),
  o("thread-spec", 1, "harmless"),
  o("threads", 1, "harmless", "T"),
  o("time", 1, "harmless", "t"),
  o("time-min", 1, "harmless"),
  o("tmp", 1, "harmless"),
  o("treewidth", 1, "harmless"),
  o("uid", 1, "harmless"),
  o("unbuffered", 0, "harmless", "u"),
  o("usage", 0, "harmless"),
  o("use-min-nodes", 0, "harmless"),
  o("verbose", 0, "harmless", "v"),
  o("version", 0, "harmless", "V"),
  o("wait", 1, "harmless", "W"),
  o("wckey", 1, "harmless"),

  o("accel-bind", 1, "binding"),
  o("cores-per-socket", 1, "binding"),
  o("cpu-bind", 1, "binding"),
  o("cpu_bind", 1, "binding"),
  o("cpus-per-gpu", 1, "binding"),
  o("distribution", 1, "binding", "m"),
  o("gpu-bind", 1, "binding"),
  o("hint", 1, "binding"),
  o("mem-bind", 1, "binding"),
  o("mem_bind", 1, "binding"),
  o("ntasks-per-core", 1, "binding"),
  o("ntasks-per-socket", 1, "binding"),
  o("sockets-per-node", 1, "binding"),
  o("threads-per-core", 1, "binding"),
  o("tres-bind", 1, "binding"),

  o("ntasks-per-gpu", 1, "task-count"),
  o("ntasks-per-tres", 1, "task-count"),
  o("tres-per-task", 1, "task-count"),

  o("contiguous", 0, "placement"),
  o("exclude", 1, "placement", "x"),
  o("nodefile", 1, "placement", "F"),
  o("nodelist", 1, "placement", "w"),
  o("relative", 1, "placement", "r"),

  o("error", 1, "io", "e"),
  o("input", 1, "io", "i"),
  o("output", 1, "io", "o"),
  o("chdir", 1, "chdir", "D"),
  o("workdir", 1, "chdir"),
  o("interactive", 0, "interactive"),
  o("pty", 2, "interactive"),
  o("x11", 2, "interactive"),
  o("multi-prog", 0, "multi-prog"),
  o("het-group", 1, "heterogeneous"),
  o("pack-group", 1, "heterogeneous"),

  o("exact", 0, "sharing"),
  o("exclusive", 2, "sharing"),
  o("overcommit", 0, "sharing", "O"),
  o("overlap", 0, "sharing"),
  o("oversubscribe", 0, "sharing", "s"),
  o("share", 0, "sharing"),
  o("whole", 0, "sharing"),

  o("mpi", 1, "mpi"),

  o("container", 1, "container"),
  o("container-id", 1, "container"),
  o("container-image", 1, "container"),
  o("container-mounts", 1, "container"),
  o("container-workdir", 1, "container"),
  o("container-name", 1, "container"),
  o("container-save", 1, "container"),
  o("container-env", 1, "container"),
  o("container-mount-home", 0, "container"),
  o("no-container-mount-home", 0, "container"),
  o("container-remap-root", 0, "container"),
  o("no-container-remap-root", 0, "container"),
  o("container-entrypoint", 0, "container"),
  o("no-container-entrypoint", 0, "container"),
  o("container-entrypoint-log", 0, "container"),
  o("container-writable", 0, "container"),
  o("container-readonly", 0, "container"),

  o("epilog", 1, "prolog"),
  o("prolog", 1, "prolog"),
  o("task-epilog", 1, "prolog"),
  o("task-prolog", 1, "prolog"),
  o("jobid", 1, "jobid"),
];

/**
 * The srun shim's test for a long option written without `=` (backends/fcp/script/slurm/shim.ts,
 * SRUN_LONG_FLAGS; a contract test holds the two together): a bash extended pattern matching the
 * `--` spellings that take no value from the next word, as getopt_long reads them. An option
 * that never does (`arg` 0, or 2: an optional value is read only when attached, `--exclusive=user`)
 * is matched from its shortest abbreviation that starts no valued option's name on (`ov*` for
 * `--overlap`, `--overcommit` and `--oversubscribe`, since `--o` could be `--output`), so every
 * spelling srun accepts for it, and a misspelling that keeps that start, is a flag; one whose
 * whole name starts a valued option's (`--bcast`, `--bcast-exclude`) only in full, getopt_long
 * preferring an exact match. Shared starts are written once (`co@(mp|nti)`).
 */
export function srunLongFlagsForShim(options: readonly SrunOption[] = SRUN_OPTIONS): string {
  const valued = options.filter((opt) => opt.arg === 1).map((opt) => opt.name);
  const startsValued = (start: string) => valued.some((name) => name.startsWith(start));
  const exact: string[] = [];
  const starts: string[] = [];
  for (const { name, arg } of options) {
    if (arg === 1) continue;
    let length = 1;
    while (length <= name.length && startsValued(name.slice(0, length))) length++;
    if (length > name.length) exact.push(name);
    else starts.push(name.slice(0, length));
  }
  // A start that begins with another start adds nothing (`no-` covers `--no-kill` and `--no-container…`).
  const kept = [...new Set(starts)]
    .sort()
    .filter((s, k, all) => !all.slice(0, k).some((t) => s.startsWith(t)));
  const prefixes = `${alternatives(kept)}*`;
  return exact.length === 0 ? prefixes : `@(${[...exact.sort(), prefixes].join("|")})`;
}

/**
 * Sorted words, none the start of another, as one extended pattern (`a`, or `@(a|b)`), a start
 * shared by several written once where that saves bytes: at each word, the start that saves the
 * most (`n` words sharing `p` characters save `(n - 1) * p - 3`), its words' rests grouped in turn.
 */
function alternatives(words: readonly string[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i]!;
    let best = { saving: 0, length: 0, count: 1 };
    for (let length = 1; length < word.length; length++) {
      const start = word.slice(0, length);
      let count = 1;
      while (i + count < words.length && words[i + count]!.startsWith(start)) count++;
      const saving = (count - 1) * length - 3;
      if (count > 1 && saving > best.saving) best = { saving, length, count };
    }
    if (best.count === 1) {
      out.push(word);
    } else {
      const rests = words.slice(i, i + best.count).map((w) => w.slice(best.length));
      out.push(word.slice(0, best.length) + alternatives(rests));
    }
    i += best.count;
  }
  return out.length === 1 ? out[0]! : `@(${out.join("|")})`;
}

const BY_NAME: ReadonlyMap<string, SrunOption> = new Map(SRUN_OPTIONS.map((opt) => [opt.name, opt]));
const NAMES: readonly string[] = SRUN_OPTIONS.map((opt) => opt.name);
/** Longer unknown names get no guess: nobody mistypes one that long, and the distance is quadratic. */
const MAX_GUESSED_NAME = 40;
const BY_SHORT: ReadonlyMap<string, SrunOption> = new Map(
  SRUN_OPTIONS.filter((opt) => opt.short !== undefined).map((opt) => [opt.short!, opt]),
);

/** One option as written on an srun command line. */
export interface SrunOptionUse {
  /** The option, or undefined when srun does not know the spelling (or it is ambiguous). */
  readonly option: SrunOption | undefined;
  /** How it was written, e.g. `--cpu-bind`, `-w`, `--ntasks-per`. */
  readonly spelled: string;
  readonly value: string | undefined;
  /**
   * Without an option: the options an ambiguous prefix could mean (two or more), or the one an
   * unknown long name was probably meant to be (at most one). Empty when there is an option.
   */
  readonly candidates: readonly string[];
  /** Offsets of the option as written, with its attached value. */
  readonly start: number;
  readonly end: number;
}

/**
 * A long option by exact name, else by unambiguous prefix (getopt_long's rule); an ambiguous prefix
 * gets its matches as candidates. An unknown name gets none here: `guessLongOption` guesses, for
 * the options a caller reports (a guess costs an edit distance per option name).
 */
function lookupLong(spelled: string): { option: SrunOption | undefined; candidates: string[] } {
  const exact = BY_NAME.get(spelled);
  if (exact) return { option: exact, candidates: [] };
  const matches: SrunOption[] = [];
  if (spelled.length > 0) for (const opt of SRUN_OPTIONS) if (opt.name.startsWith(spelled)) matches.push(opt);
  if (matches.length === 1) return { option: matches[0], candidates: [] };
  if (matches.length > 1) return { option: undefined, candidates: matches.map((m) => `--${m.name}`) };
  return { option: undefined, candidates: [] };
}

/** The srun long option closest to an unknown `--spelled` (with its dashes), if one is close. */
export function guessLongOption(spelled: string): string | undefined {
  const name = spelled.slice(2);
  if (name.length === 0 || name.length > MAX_GUESSED_NAME) return undefined;
  const guess = closest(name, NAMES);
  return guess === undefined ? undefined : `--${guess}`;
}

/**
 * Reads srun's options from word `i + 1` of `cmd` (word `i` is `srun`), calling `each` for every
 * option; returns the index of the program srun launches (`cmd.count` when there is none).
 */
export function readSrunOptions(cmd: ShellCommand, i: number, each: (use: SrunOptionUse) => void): number {
  let j = i + 1;
  while (j < cmd.count) {
    const raw = cmd.value(j);
    const start = cmd.start(j);
    const end = cmd.end(j);
    if (raw === "--") return j + 1;
    if (raw.length < 2 || raw.charCodeAt(0) !== 45 /* - */) return j;
    if (raw.charCodeAt(1) === 45) {
      const eq = raw.indexOf("=");
      const spelled = eq < 0 ? raw.slice(2) : raw.slice(2, eq);
      const { option, candidates } = lookupLong(spelled);
      let value = eq < 0 ? undefined : raw.slice(eq + 1);
      if (option?.arg === 1 && value === undefined && j + 1 < cmd.count) {
        j++;
        value = cmd.value(j);
      }
      each({ option, spelled: `--${spelled}`, value, candidates, start, end });
      j++;
      continue;
    }
    const literal = (cmd.flags(j) & (WORD_QUOTED | WORD_EXPANDS)) === 0;
    for (let k = 1; k < raw.length; k++) {
      const letter = raw[k]!;
      const option = BY_SHORT.get(letter);
      const at = literal && k > 1 ? start + k : start;
      if (option && option.arg !== 0) {
        let value: string | undefined = raw.slice(k + 1);
        if (value === "") value = undefined;
        if (value === undefined && option.arg === 1 && j + 1 < cmd.count) {
          j++;
          value = cmd.value(j);
        }
        each({ option, spelled: `-${letter}`, value, candidates: [], start: at, end });
        break;
      }
      each({
        option,
        spelled: `-${letter}`,
        value: undefined,
        candidates: [],
        start: at,
        end: literal ? start + k + 1 : end,
      });
    }
    j++;
  }
  return j;
}
