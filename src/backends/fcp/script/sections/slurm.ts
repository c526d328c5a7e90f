/**
 * SLURM emulation on the instance, for tasks lowered from sbatch scripts (`task.slurm`): the
 * batch script finds the SLURM_* variables of spec/slurm.md §10.1, `srun`/`scontrol` shims on its
 * PATH, and its output in the `--output`/`--error` files — and still in the startup log.
 *
 * Execution model (docs/slurm-emulation.md): every instance of the bid runs this same script and
 * the whole batch script ("SPMD emulation"), because instances cannot start processes on each
 * other. Each node learns its rank at boot from the cluster's hosts in /etc/hosts (non-loopback
 * entries, sorted by name: rank = this host's place, node 0 = head); `srun` then starts only the
 * tasks that SLURM's block distribution puts on this node. A multi-node script stops with a clear
 * message when it cannot find exactly its node count there or itself among them: a node that
 * guessed its rank would duplicate another's work or hang a rendezvous.
 *
 * Everything that can be known when compiling is compiled in (job ids, layout, file patterns);
 * only the node's place, its CPUs (when the instance type is not known), the user and the start
 * time are read at run time. The section comes after the env section, so the emulated values win
 * over task variables of the same name; its own commands run with PATH as it was before env (saved
 * by the header), and the task's PATH, shims first, is put back at its end. Its own variables start
 * with FLOW_, which task variables cannot (IR013), so it clobbers none of them. flow's `module`
 * and `ml` functions are not here but in the next section, `modules` (slurm/modules.ts), so that
 * the size table shows what they cost. Tests override the host facts with FLOW_HOSTS_FILE and
 * FLOW_HOSTNAME.
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";
import { SYSTEM_PATH_VARIABLE } from "../programs.ts";
import { shellQuote } from "../quote.ts";
import { type MeasuredText, measured, type ScriptSection, sectionOf } from "../section.ts";
import { DOCKER_ENV_ARRAY, ERROR_VARIABLE, OUTPUT_VARIABLE, SHIM_DIR } from "../slurm/command-line.ts";
import { filenamePatternWord } from "../slurm/filename-pattern.ts";
import {
  compressCounts,
  type SlurmJobFacts,
  STEP_SIGNAL_VARIABLE,
  slurmJobFacts,
  timeLimitSeconds,
  warningSignal,
} from "../slurm/job.ts";
import { SHIM_COMMANDS, SHIM_PROGRAM, SHIM_SCRIPT } from "../slurm/shim.ts";
import { workingDir } from "./run.ts";
import { heredocDelimiter } from "./setup.ts";

/** Facts the slurm section needs beyond the task: which array task, and the instance's resources. */
export interface SlurmContext {
  /** The array task id this script runs; required exactly when the task has an `array`. */
  readonly arrayTaskId?: number;
  /** vCPUs of the instance type; without it SLURM_CPUS_ON_NODE is read from `nproc` at run time. */
  readonly instanceCpus?: number;
  /** GPUs of the instance type, used when the job does not say `gpus_per_node`. */
  readonly instanceGpus?: number;
  /** Memory of the instance type in MiB, reported for `--mem=0` (all of the node's memory). */
  readonly instanceMemoryMb?: number;
}

/** Where the slurm section keeps the task's PATH while its own commands run. */
const TASK_PATH_VARIABLE = "FLOW_TASK_PATH";

/** The variable that replaces /etc/hosts as the list of the cluster's nodes (tests). */
export const HOSTS_FILE_VARIABLE = "FLOW_HOSTS_FILE";

/** The variable that replaces `hostname` as this node's name (tests). */
export const HOSTNAME_VARIABLE = "FLOW_HOSTNAME";

/** SLURM_CLUSTER_NAME, SLURM_SUBMIT_HOST and the partition of a job that names none. */
export const EMULATED_CLUSTER = "flow";

/** SLURM_JOB_END_TIME of a job without a time limit: start + 365 days, as slurmctld sets it. */
const UNLIMITED_SECONDS = 365 * 24 * 60 * 60;

/**
 * The lines (as one text) that write the shim program and link its command names (the section's
 * last line puts them first on PATH). They are the same for every task: built and measured once.
 */
function installShims(): MeasuredText {
  const dir = `"${SHIM_DIR}"`;
  const program = `"${SHIM_DIR}/${SHIM_PROGRAM}"`;
  const delimiter = heredocDelimiter(SHIM_SCRIPT);
  const lines = [
    `mkdir -p ${dir}`,
    `cat >${program} <<'${delimiter}'`,
    SHIM_SCRIPT.replace(/\n$/, ""),
    delimiter,
    `chmod +x ${program}`,
    `for FLOW_V in ${SHIM_COMMANDS.join(" ")}; do ln -sf ${SHIM_PROGRAM} "${SHIM_DIR}/$FLOW_V"; done`,
  ];
  return measured(lines.join("\n"));
}

let shim: MeasuredText | undefined;

/** `placeNode` per node count, made once (the lines depend on nothing else). */
const PLACES = new Map<number, NodePlace>();

/** Where this node stands in the job, as lines of the script. */
interface NodePlace {
  /** Lines that run before any variable is set (discovery and its check). */
  readonly lines: readonly string[];
  /** Plain assignments of the node's facts. */
  readonly assignments: readonly string[];
  /** The variables to export: SLURM_NODEID, SLURM_JOB_NODELIST and SLURMD_NODENAME. */
  readonly names: readonly string[];
}

/**
 * Lines that find this node's rank, the node list in rank order and this node's name in it. One
 * node needs no discovery: it is node 0 and the list is its own hostname.
 */
function placeNode(nodes: number): NodePlace {
  const hostname = `\${${HOSTNAME_VARIABLE}:-$(hostname)}`;
  const names = ["SLURM_NODEID", "SLURM_JOB_NODELIST", "SLURMD_NODENAME"];
  if (nodes === 1) {
    return {
      lines: [],
      assignments: [`SLURMD_NODENAME=${hostname}`, "SLURM_NODEID=0", "SLURM_JOB_NODELIST=$SLURMD_NODENAME"],
      names,
    };
  }
  const hosts = `\${${HOSTS_FILE_VARIABLE}:-/etc/hosts}`;
  // Per hosts line (not a comment, loopback or IPv6): its first name and whether it is this
  // host (its address is one of `hostname -I`, or one of its names matches the short hostname).
  const candidates =
    `awk -v s="\${FLOW_H%%.*}" -v a=" $(hostname -I 2>/dev/null) " ` +
    `'$1!~/^(#|127\\.)|:/&&NF>1&&$2!~/^#/{m=index(a," "$1" ");` +
    `for(f=2;f<=NF&&$f!~/^#/;f++){split($f,q,".");m+=q[1]==s}print $2,(m>0)}' "${hosts}"`;
  // Names in natural order, each once: "rank-of-this-host count list this-host's-name".
  const ranked =
    "LC_ALL=C sort -k1,1V -k2,2nr | " +
    `awk '$1!=p{p=$1;n++;l=l(n>1?",":"")$1}$2&&!r{r=n;h=$1}END{print r-1,n+0,l,h}'`;
  return {
    lines: [
      `FLOW_H=${hostname}`,
      `read -r SLURM_NODEID FLOW_C SLURM_JOB_NODELIST SLURMD_NODENAME <<<"$(${candidates} | ${ranked})"`,
      `if [ "$FLOW_C" != ${nodes} ] || [ "$SLURM_NODEID" -lt 0 ]; then`,
      `  echo "flow: SLURM emulation: this host ($FLOW_H) must be one of the ${nodes} cluster hosts in ${hosts}; found \${FLOW_C:-0}: \${SLURM_JOB_NODELIST:-none}" >&2`,
      "  exit 1",
      "fi",
    ],
    assignments: [],
    names,
  };
}

/** Between the words of the `export` line: one variable per line. */
const EXPORT_SEPARATOR = " \\\n";

/** The batch script is task 0 of node 0's batch step (constant words of the `export`). */
const BATCH_TASK_WORDS = ["SLURM_PROCID=0", "SLURM_LOCALID=0", "SLURM_GTIDS=0"].join(EXPORT_SEPARATOR);

/** SLURM_CLUSTER_NAME and SLURM_SUBMIT_HOST (`flow` is a bare shell word). */
const CLUSTER_WORDS = [
  `SLURM_CLUSTER_NAME=${EMULATED_CLUSTER}`,
  `SLURM_SUBMIT_HOST=${EMULATED_CLUSTER}`,
].join(EXPORT_SEPARATOR);

/** Facts read on the node when the script starts: who runs it, and when. */
const READ_AT_START: readonly (readonly [string, string])[] = [
  ["SLURM_JOB_USER", "$(id -un)"],
  ["SLURM_JOB_UID", "$(id -u)"],
  ["SLURM_JOB_GID", "$(id -g)"],
  ["SLURM_JOB_GROUP", "$(id -gn)"],
  ["SLURM_JOB_START_TIME", "$(date +%s)"],
];
const READ_AT_START_NAMES = READ_AT_START.map(([name]) => name).join(EXPORT_SEPARATOR);

/**
 * Appends the lines that set the SLURM variables to `lines`: those read on the node first (a
 * command substitution inside `export` would hide its failure from `set -e`), then one `export` of
 * everything — values compiled in as quoted words, node-read ones by name.
 */
function variables(
  lines: string[],
  task: TaskConfig,
  job: SlurmJobFacts,
  context: SlurmContext,
  place: NodePlace,
): void {
  const slurm = task.slurm ?? {};
  for (const line of place.assignments) lines.push(line);
  // The words of the `export`, one per line, accumulated as one string (cheaper than a join).
  let exportLine = "export";
  const add = (word: string) => {
    exportLine += exportLine === "export" ? ` ${word}` : `${EXPORT_SEPARATOR}${word}`;
  };
  // An integer is a safe shell word as it is; only text goes through the quoting function.
  const set = (name: string, value: string | number) =>
    add(
      `${name}=${typeof value === "number" && Number.isSafeInteger(value) ? value : shellQuote(String(value))}`,
    );
  const readOnNode = (name: string, text: string) => {
    lines.push(`${name}=${text}`);
    add(name);
  };
  for (const name of place.names) add(name);
  set("SLURM_JOB_ID", job.jobId);
  set("SLURM_JOBID", job.jobId);
  set("SLURM_JOB_NAME", job.jobName);
  set("SLURM_JOB_NUM_NODES", job.nodes);
  set("SLURM_NNODES", job.nodes);
  add("SLURM_NODELIST=$SLURM_JOB_NODELIST");
  if (job.array !== undefined) {
    set("SLURM_ARRAY_JOB_ID", job.array.jobId);
    set("SLURM_ARRAY_TASK_ID", job.array.taskId);
    set("SLURM_ARRAY_TASK_COUNT", job.array.count);
    set("SLURM_ARRAY_TASK_MIN", job.array.min);
    set("SLURM_ARRAY_TASK_MAX", job.array.max);
    set("SLURM_ARRAY_TASK_STEP", job.array.step);
  }
  add(BATCH_TASK_WORDS);
  if (job.ntasks !== undefined) {
    set("SLURM_NTASKS", job.ntasks);
    set("SLURM_NPROCS", job.ntasks);
  }
  if (slurm.ntasks_per_node !== undefined) set("SLURM_NTASKS_PER_NODE", slurm.ntasks_per_node);
  set("SLURM_TASKS_PER_NODE", compressCounts(job.taskCounts));
  if (slurm.cpus_per_task !== undefined) set("SLURM_CPUS_PER_TASK", slurm.cpus_per_task);
  if (context.instanceCpus === undefined) {
    readOnNode("SLURM_CPUS_ON_NODE", "$(nproc)");
    add(
      `SLURM_JOB_CPUS_PER_NODE=${job.nodes > 1 ? `"$SLURM_CPUS_ON_NODE(x${job.nodes})"` : "$SLURM_CPUS_ON_NODE"}`,
    );
  } else {
    set("SLURM_CPUS_ON_NODE", context.instanceCpus);
    set(
      "SLURM_JOB_CPUS_PER_NODE",
      job.nodes > 1 ? `${context.instanceCpus}(x${job.nodes})` : context.instanceCpus,
    );
  }
  const memory = slurm.mem_per_node_mb;
  if (memory !== undefined && memory > 0) set("SLURM_MEM_PER_NODE", memory);
  else if (memory === 0 && context.instanceMemoryMb !== undefined) {
    set("SLURM_MEM_PER_NODE", context.instanceMemoryMb);
  } else if (memory === 0) {
    readOnNode("SLURM_MEM_PER_NODE", `$(awk '/^MemTotal:/{print int($2/1024)}' /proc/meminfo)`);
  }
  const gpus = slurm.gpus_per_node ?? context.instanceGpus ?? 0;
  if (gpus > 0) {
    if (slurm.gpus_per_node !== undefined) set("SLURM_GPUS_PER_NODE", gpus);
    set("SLURM_GPUS_ON_NODE", gpus);
    let ids = "0";
    for (let i = 1; i < gpus; i++) ids += `,${i}`;
    set("SLURM_JOB_GPUS", ids);
  }
  set("SLURM_JOB_PARTITION", slurm.partition ?? EMULATED_CLUSTER);
  add(CLUSTER_WORDS);
  const dir = workingDir(task);
  if (dir === undefined) add("SLURM_SUBMIT_DIR=$PWD");
  else set("SLURM_SUBMIT_DIR", dir);
  for (const [name, text] of READ_AT_START) lines.push(`${name}=${text}`);
  add(READ_AT_START_NAMES);
  add(`SLURM_JOB_END_TIME=$((SLURM_JOB_START_TIME + ${timeLimitSeconds(task) ?? UNLIMITED_SECONDS}))`);
  add("SLURM_RESTART_COUNT=0");
  if (slurm.open_mode !== undefined) set("SLURM_OPEN_MODE", slurm.open_mode === "append" ? "a" : "t");
  if (slurm.dependency !== undefined) set("SLURM_JOB_DEPENDENCY", slurm.dependency);
  if (slurm.export_env !== undefined) set("SLURM_EXPORT_ENV", slurm.export_env);
  add("ENVIRONMENT=BATCH");
  const signal = warningSignal(task);
  if (signal !== undefined && !signal.batchOnly) {
    set(STEP_SIGNAL_VARIABLE, `${signal.name}@${signal.secondsBefore}`);
  }
  lines.push(exportLine);
}

/**
 * Lines that set the output (and error) file paths, create their directories (SLURM does not:
 * a documented deviation, so a `logs/%j.out` pattern works on a fresh instance) and open them
 * as `open_mode` says — truncate unless `append`. A file that cannot be created stops the
 * script here, as SLURM fails a job whose output file cannot be opened.
 */
function outputFiles(task: TaskConfig, job: SlurmJobFacts): string[] {
  const slurm = task.slurm ?? {};
  const facts = {
    jobId: job.jobId,
    jobName: job.jobName,
    arrayJobId: job.array?.jobId,
    arrayTaskId: job.array?.taskId,
  };
  const dir = workingDir(task);
  const fallback = job.array === undefined ? "slurm-%j.out" : "slurm-%A_%a.out";
  const open = slurm.open_mode === "append" ? ">>" : ">";
  const lines: string[] = [];
  const file = (variable: string, pattern: string) =>
    lines.push(
      `${variable}=${filenamePatternWord(pattern, facts, dir)}`,
      `mkdir -p "$(dirname "$${variable}")"`,
      `: ${open}"$${variable}"`,
    );
  file(OUTPUT_VARIABLE, slurm.output || fallback);
  if (slurm.error !== undefined) file(ERROR_VARIABLE, slurm.error || fallback);
  return lines;
}

/** The line that collects `-e NAME` for every SLURM variable, for a task that runs in a container. */
function dockerEnv(task: TaskConfig): string {
  const signal = warningSignal(task);
  const names = [
    `"\${!SLURM@}"`,
    "ENVIRONMENT",
    ...(signal && !signal.batchOnly ? [STEP_SIGNAL_VARIABLE] : []),
  ];
  return `${DOCKER_ENV_ARRAY}=(); for FLOW_V in ${names.join(" ")}; do ${DOCKER_ENV_ARRAY}+=(-e "$FLOW_V"); done`;
}

/**
 * The slurm section, or undefined when the task does not ask for SLURM emulation.
 *
 * @throws Error when the task is an array and `context.arrayTaskId` is missing or not one of its
 * ids (the backend builds one script per array task id and must say which).
 */
export function slurmSection(task: TaskConfig, context: SlurmContext = {}): ScriptSection | undefined {
  if (task.slurm === undefined) return undefined;
  const job = slurmJobFacts(task, context.arrayTaskId);
  let place = PLACES.get(job.nodes);
  if (place === undefined) {
    place = placeNode(job.nodes);
    PLACES.set(job.nodes, place); // at most 256 node counts (IR: num_instances ≤ 256)
  }
  shim ??= installShims();
  // the section's own commands (mkdir, awk, id, date…) run with PATH as it was before the env
  // section; the task's PATH, with the shims first, is restored at the end
  const before = [`${TASK_PATH_VARIABLE}=$PATH PATH=$${SYSTEM_PATH_VARIABLE}`];
  const lines = [...place.lines];
  variables(lines, task, job, context, place);
  for (const line of outputFiles(task, job)) lines.push(line);
  const last = task.image !== undefined ? [dockerEnv(task)] : [];
  last.push(`PATH="${SHIM_DIR}:$${TASK_PATH_VARIABLE}"`);
  return sectionOf("slurm", [before, shim, lines, last]);
}
