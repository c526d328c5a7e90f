/**
 * The facts of an emulated SLURM job that are known at compile time: its job ids, its array
 * variables and how its tasks are laid out over its nodes. Everything is a pure function of the
 * task and the array task id — no clock, no randomness — so the same task always yields the same
 * ids (DESIGN invariant 7), and every node of a job, running the same script, agrees on them.
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";

/** Job ids are kept below 2^30 so that `base + array position` stays a positive 31-bit integer. */
const JOB_ID_RANGE = 2 ** 30;

/** The array variables of one array task (spec/slurm.md §8.7). */
export interface SlurmArrayFacts {
  /** SLURM_ARRAY_JOB_ID: the job id of the array's first task. */
  readonly jobId: number;
  readonly taskId: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** The common difference of the ids when they form one progression, else 1. */
  readonly step: number;
}

/** What the slurm section needs to know about a job before it runs. */
export interface SlurmJobFacts {
  /** SLURM_JOB_ID: a decimal integer in [1, 2^31). */
  readonly jobId: number;
  readonly array: SlurmArrayFacts | undefined;
  readonly jobName: string;
  readonly nodes: number;
  /** SLURM_NTASKS: `ntasks`, else `ntasks_per_node` × nodes, else undefined (sbatch leaves it unset). */
  readonly ntasks: number | undefined;
  /** Tasks on each node, in rank order. */
  readonly taskCounts: readonly number[];
}

/** FNV-1a (32 bit) of the UTF-8 bytes of `text`: small, stable across platforms and versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  const step = (byte: number) => {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  };
  // UTF-8 encoding inline (a TextEncoder per call cost more than the hash); lone surrogates
  // encode as U+FFFD, as TextEncoder encodes them.
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      step(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = text.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x800) {
      step(0xc0 | (c >> 6));
    } else if (c < 0x10000) {
      step(0xe0 | (c >> 12));
      step(0x80 | ((c >> 6) & 0x3f));
    } else {
      step(0xf0 | (c >> 18));
      step(0x80 | ((c >> 12) & 0x3f));
      step(0x80 | ((c >> 6) & 0x3f));
    }
    step(0x80 | (c & 0x3f));
  }
  return hash;
}

/**
 * The job id of a task named `name`: a stable integer in [1, 2^30], the same on every machine.
 * Scripts do arithmetic on it (`$((10000 + SLURM_JOB_ID % 20000))`), so it is always decimal.
 */
export function stableJobId(name: string): number {
  return 1 + (fnv1a(name) % JOB_ID_RANGE);
}

/**
 * Tasks per node in rank order for a job or step of `nodes` nodes, as SLURM's default block
 * distribution lays them out: with a per-node count, nodes fill up in order (`-n 5
 * --ntasks-per-node 2 -N 3` → 2,2,1); otherwise tasks spread evenly, the first nodes taking one
 * more (`-n 5 -N 2` → 3,2); with neither, one task per node. When `ntasks` exceeds what the
 * per-node count allows, the total wins and tasks spread evenly. The srun shim computes the same
 * layout in bash; a test holds the two together.
 */
export function taskLayout(nodes: number, ntasks?: number, perNode?: number): number[] {
  if (perNode !== undefined && (ntasks === undefined || ntasks <= perNode * nodes)) {
    const total = ntasks ?? perNode * nodes;
    const counts: number[] = [];
    for (let k = 0; k < nodes; k++) counts.push(Math.max(0, Math.min(perNode, total - k * perNode)));
    return counts;
  }
  const total = ntasks ?? nodes;
  const counts: number[] = [];
  for (let k = 0; k < nodes; k++) counts.push(Math.floor(total / nodes) + (k < total % nodes ? 1 : 0));
  return counts;
}

/** SLURM's compressed form of per-node counts: runs of equal values as `N(xM)` — `2(x3),1`. */
export function compressCounts(counts: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < counts.length; ) {
    let j = i;
    while (j < counts.length && counts[j] === counts[i]) j++;
    parts.push(j - i > 1 ? `${counts[i]}(x${j - i})` : `${counts[i]}`);
    i = j;
  }
  return parts.join(",");
}

/**
 * The distinct ids in ascending order, computed once per id list: every script of an array asks
 * for them (sorting them per script was quadratic in the array size).
 */
interface SortedIds {
  readonly ids: readonly number[];
  /** Each id's position in `ids`. */
  readonly positions: ReadonlyMap<number, number>;
  /** The common difference when the ids form one progression, else 1. */
  readonly step: number;
}
const sortedIdLists = new WeakMap<readonly number[], SortedIds>();
function sortedIds(taskIds: readonly number[]): SortedIds {
  let sorted = sortedIdLists.get(taskIds);
  if (sorted === undefined) {
    const ids = [...new Set(taskIds)].sort((a, b) => a - b);
    const first = ids[0] ?? 0;
    const difference = ids.length > 1 ? ids[1]! - first : 1;
    const progression = ids.every((id, i) => id === first + i * difference);
    sorted = { ids, positions: new Map(ids.map((id, i) => [id, i])), step: progression ? difference : 1 };
    sortedIdLists.set(taskIds, sorted);
  }
  return sorted;
}

/** The array facts of task `arrayTaskId` of `taskIds`, and its position in the sorted ids. */
function arrayFacts(
  name: string,
  taskIds: readonly number[],
  arrayTaskId: number,
): { facts: SlurmArrayFacts; position: number } {
  const { ids, positions, step } = sortedIds(taskIds);
  const position = positions.get(arrayTaskId);
  if (position === undefined) {
    throw new Error(`slurmJobFacts: array task id ${arrayTaskId} is not one of the task's array ids`);
  }
  return {
    facts: {
      jobId: stableJobId(name),
      taskId: arrayTaskId,
      count: ids.length,
      min: ids[0]!,
      max: ids[ids.length - 1]!,
      step,
    },
    position,
  };
}

/**
 * The compile-time facts of `task`'s SLURM job. An array task's job id is the array job id plus
 * its position among the sorted ids, as SLURM numbers the tasks it splits off an array (the first
 * task's job id is the array job id).
 *
 * @throws Error when the task has an array but no `arrayTaskId` is given, or the id is not one of
 * the array's: each array task needs its own script, and guessing the id would run the wrong task.
 */
export function slurmJobFacts(task: TaskConfig, arrayTaskId?: number): SlurmJobFacts {
  const slurm = task.slurm ?? {};
  const nodes = task.num_instances ?? 1;
  let array: SlurmArrayFacts | undefined;
  let jobId = stableJobId(task.name);
  if (task.array !== undefined || arrayTaskId !== undefined) {
    if (arrayTaskId === undefined) {
      throw new Error("slurmJobFacts: an array task needs its arrayTaskId (one script per task id)");
    }
    const { facts, position } = arrayFacts(task.name, task.array?.task_ids ?? [], arrayTaskId);
    array = facts;
    jobId = facts.jobId + position;
  }
  const ntasks =
    slurm.ntasks ?? (slurm.ntasks_per_node !== undefined ? slurm.ntasks_per_node * nodes : undefined);
  return {
    jobId,
    array,
    jobName: slurm.job_name ?? task.name,
    nodes,
    ntasks,
    taskCounts: taskLayout(nodes, slurm.ntasks, slurm.ntasks_per_node),
  };
}

/**
 * The job's time limit in seconds: `slurm.time_limit_minutes` when positive, else
 * `max_run_time_hours`; undefined when the job has none (`--time=0`/UNLIMITED and no run time).
 */
export function timeLimitSeconds(task: Partial<TaskConfig>): number | undefined {
  const minutes = task.slurm?.time_limit_minutes;
  if (minutes !== undefined && minutes > 0) return minutes * 60;
  if (task.max_run_time_hours !== undefined) return Math.round(task.max_run_time_hours * 3600);
  return undefined;
}

/** The variable that tells the srun shim to signal its tasks: `NAME@SECONDS` (`--signal` without `B:`). */
export const STEP_SIGNAL_VARIABLE = "FLOW_SLURM_SIGNAL";

/**
 * The job's `--signal`, when it can ever be sent: a job without a time limit never reaches
 * "seconds before the limit", as in SLURM.
 */
export function warningSignal(
  task: Partial<TaskConfig>,
): { name: string; secondsBefore: number; batchOnly: boolean } | undefined {
  const signal = task.slurm?.signal;
  if (signal === undefined || timeLimitSeconds(task) === undefined) return undefined;
  return { name: signal.name, secondsBefore: signal.seconds_before, batchOnly: signal.batch_only === true };
}
