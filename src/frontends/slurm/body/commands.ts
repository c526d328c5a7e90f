/**
 * The command table: for each command name the body analysis knows, the rule that reports on it,
 * whether it only wraps another command (`nohup`, `env`, `timeout`…), and whether running it on
 * every node of a multi-node job is harmless (setup and bookkeeping). A command word is looked up
 * by its basename straight from the source text through a small open-addressing hash table, so the
 * common case (an unquoted word) costs no allocation; a word that expands is a name known only at
 * run time.
 */

import { checkDocker, checkEnroot, checkShifter, checkSingularity } from "./containers.ts";
import { type BodyContext, isOption } from "./context.ts";
import { checkConda, checkSource, checkSpack } from "./environments.ts";
import { checkJobControl, JOB_CONTROL_COMMANDS } from "./job-control.ts";
import { checkMpi, checkSrun } from "./launchers.ts";
import { checkModuleCommand } from "./modules.ts";
import { type ShellCommand, WORD_EXPANDS, WORD_QUOTED } from "./scan.ts";

/** A rule: reports on the command whose word `i` is `name`. */
export type CommandRule = (ctx: BodyContext, cmd: ShellCommand, i: number, name: string) => void;

/** What the analysis does with one command name. */
export interface CommandEntry {
  readonly name: string;
  readonly rule?: CommandRule;
  /** A wrapper: the analysis looks through it to the command it runs. */
  readonly wraps?: boolean;
  /** Setup or bookkeeping: running it on every node of a multi-node job is harmless. */
  readonly nodeLocal: boolean;
}

const SIZE = 512;
const MASK = SIZE - 1;
const slots: (CommandEntry | undefined)[] = new Array(SIZE);

function hash(text: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h & MASK;
}

function define(names: readonly string[], entry: Omit<CommandEntry, "name">): void {
  for (const name of names) {
    let slot = hash(name, 0, name.length);
    while (slots[slot] !== undefined) slot = (slot + 1) & MASK;
    slots[slot] = { name, ...entry };
  }
}

define(["module", "ml"], { rule: checkModuleCommand, nodeLocal: true });
define(["source", "."], { rule: checkSource, nodeLocal: true });
define(["conda", "mamba", "micromamba"], { rule: checkConda, nodeLocal: true });
define(["spack"], { rule: checkSpack, nodeLocal: true });
define([...JOB_CONTROL_COMMANDS], { rule: checkJobControl, nodeLocal: true });
define(["srun"], { rule: checkSrun, nodeLocal: true });
define(["singularity", "apptainer"], { rule: checkSingularity, nodeLocal: false });
define(["enroot"], { rule: checkEnroot, nodeLocal: false });
define(["docker", "podman"], { rule: checkDocker, nodeLocal: false });
define(["shifter"], { rule: checkShifter, nodeLocal: false });
define(["mpirun", "mpiexec", "mpiexec.hydra", "mpirun.openmpi", "mpiexec.openmpi", "mpirun.mpich"], {
  rule: checkMpi,
  nodeLocal: false,
});
define(["mpiexec.mpich", "orterun", "prterun", "aprun", "ibrun"], { rule: checkMpi, nodeLocal: false });
define(["set"], { rule: (ctx, cmd, i) => ctx.trackErrexit(cmd, i), nodeLocal: true });
define(["export", "declare", "typeset", "local", "readonly"], {
  rule: (ctx, cmd, i) => ctx.trackAssignments(cmd, i),
  nodeLocal: true,
});
define(["[", "[[", "test"], { rule: (ctx, cmd, i) => ctx.trackNodeGuard(cmd, i), nodeLocal: true });
define(["trap"], { rule: checkTrap, nodeLocal: true });
define(["nohup", "exec", "command", "builtin", "env", "timeout", "nice", "stdbuf", "taskset", "numactl"], {
  wraps: true,
  nodeLocal: true,
});
define(["sudo", "time", "xargs"], { wraps: true, nodeLocal: true });
define([
  ...[":", "]]", "alias", "awk", "basename", "break", "cat", "cd", "chmod", "continue", "cp", "curl", "cut"],
  ...["date", "df", "dirname", "du", "echo", "eval", "exit", "false", "find", "free", "getopts", "grep"],
  ...["hash", "head", "hostname", "id", "let", "ln", "ls", "lscpu", "mkdir", "mktemp", "mv", "nproc"],
  ...["nvidia-smi", "pip", "pip3", "popd", "printenv", "printf", "pushd", "pwd", "read", "readlink"],
  ...["realpath", "return", "rm", "rsync", "sed", "shift", "shopt", "sleep", "sort", "sync", "tail", "tar"],
  ...["tee", "touch", "tr", "true", "type", "ulimit", "umask", "uname", "uniq", "unset", "unzip"],
  ...["wait", "wc", "wget", "which", "whoami"],
], { nodeLocal: true });

function find(text: string, from: number, to: number): CommandEntry | undefined {
  const length = to - from;
  let slot = hash(text, from, to);
  for (let entry = slots[slot]; entry !== undefined; entry = slots[slot]) {
    if (entry.name.length === length && text.startsWith(entry.name, from)) return entry;
    slot = (slot + 1) & MASK;
  }
  return undefined;
}

/**
 * `trap 'handler' SIGNAL…`: the handler is shell code the script runs when the signal arrives (a
 * `--signal` requeue handler calling `scontrol requeue`, a checkpoint…), so it is analysed like
 * the body. Only a single-quoted handler is read: its text is the file's text, so every span stays
 * exact (a double-quoted one is expanded when `trap` runs, and left alone).
 */
function checkTrap(ctx: BodyContext, cmd: ShellCommand, i: number): void {
  let j = i + 1;
  if (j < cmd.count && cmd.value(j) === "--") j++;
  if (j >= cmd.count || j + 1 >= cmd.count) return; // `trap`, `trap -p`, `trap 'x'` (no signal)
  const start = cmd.start(j);
  const end = cmd.end(j);
  const text = cmd.text;
  if (end - start < 2 || text.charCodeAt(start) !== 39 || text.charCodeAt(end - 1) !== 39) return;
  if (text.indexOf("'", start + 1) !== end - 1) return; // not one single-quoted piece
  ctx.scanNested(start + 1, end - 1);
}

/** What `lookupCommand` found when the word names no known command. */
const UNKNOWN_COMMAND: CommandEntry = { name: "", nodeLocal: false };

/**
 * The entry for the command named by word `i` (by its basename: `/usr/bin/srun` is `srun`),
 * {@link UNKNOWN_COMMAND} for any other name, or undefined when the name is only known at run time
 * (`$LAUNCHER`, `"${dir}/bin/$tool"`).
 */
export function lookupCommand(cmd: ShellCommand, i: number): CommandEntry | undefined {
  const flags = cmd.flags(i);
  if ((flags & (WORD_QUOTED | WORD_EXPANDS)) === 0) {
    const text = cmd.text;
    const start = cmd.start(i);
    const end = cmd.end(i);
    let base = end;
    while (base > start && text.charCodeAt(base - 1) !== 47 /* / */) base--;
    return end - base > 0 && end - base <= 16 ? (find(text, base, end) ?? UNKNOWN_COMMAND) : UNKNOWN_COMMAND;
  }
  const value = cmd.value(i);
  const slash = value.lastIndexOf("/");
  if ((flags & WORD_EXPANDS) !== 0 && (slash < 0 || /[$`]/.test(value.slice(slash + 1)))) return undefined;
  return find(value, slash + 1, value.length) ?? UNKNOWN_COMMAND;
}

/** Options of wrappers that take a separate value. */
const WRAPPER_VALUED: Readonly<Record<string, ReadonlySet<string>>> = {
  exec: new Set(["-a"]),
  env: new Set(["-u", "--unset", "-C", "--chdir", "-S", "--split-string"]),
  timeout: new Set(["-s", "--signal", "-k", "--kill-after"]),
  nice: new Set(["-n", "--adjustment"]),
  stdbuf: new Set(["-i", "-o", "-e", "--input", "--output", "--error"]),
  taskset: new Set(["-c", "--cpu-list"]),
  numactl: new Set(["-N", "-m", "-C", "-p", "-i", "-P", "--cpunodebind", "--membind", "--physcpubind"]),
  sudo: new Set(["-u", "--user", "-g", "--group", "-C", "-D", "-h", "-p", "-r", "-t", "-U"]),
  time: new Set(["-f", "--format", "-o", "--output"]),
  xargs: new Set(["-I", "-L", "-n", "-P", "-d", "-E", "-s", "-a"]),
};

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Index of the command the wrapper `name` at word `i` runs, or `cmd.count` when it runs none. */
export function unwrap(cmd: ShellCommand, i: number, name: string): number {
  const valued = WRAPPER_VALUED[name];
  let j = i + 1;
  while (j < cmd.count) {
    if (name === "env" && ENV_ASSIGNMENT.test(cmd.value(j))) {
      j++;
      continue;
    }
    if (!isOption(cmd, j)) break;
    const w = cmd.value(j);
    if (w === "--") return j + 1;
    if (w === "-") break;
    if (name === "command" && (w === "-v" || w === "-V")) return cmd.count;
    j += valued?.has(w) ? 2 : 1;
  }
  if (name === "timeout" || (name === "taskset" && j === i + 1)) return j + 1;
  return j;
}
