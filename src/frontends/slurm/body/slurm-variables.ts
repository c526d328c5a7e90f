/**
 * Which SLURM output variables the instance-side emulation provides, and for those it does not,
 * what a batch script that reads them will see instead. The list is the emulation's contract
 * (spec/slurm.md §10): a name missing here is reported wherever a script reads it, so the two must
 * change together.
 */

/** Variables the emulation sets for the batch script itself. */
import { EMULATED_SLURM_VARIABLES, SRUN_TASK_VARIABLES } from "../../../ir/slurm-environment.ts";

export { EMULATED_SLURM_VARIABLES, SRUN_TASK_VARIABLES };

/** What a script reading a variable the emulation does not set should know. */
export interface MissingVariableAdvice {
  /** Why it is missing, or what stands in for it, after "the script sees it unset: ". */
  readonly reason: string;
  /** An emulated variable (or expression) to use instead, when there is one. */
  readonly instead?: string;
}

const GPU_ADVICE: MissingVariableAdvice = {
  reason: "the emulation reports GPUs only per node",
  instead: "SLURM_GPUS_ON_NODE (count) or SLURM_JOB_GPUS (indices 0,…,n-1)",
};
const SCRATCH_ADVICE: MissingVariableAdvice = {
  reason: "it is a site-specific scratch directory",
  instead: "/mnt/local (the instance's local NVMe, wiped when the instance goes away)",
};
const NO_ACCOUNTING: MissingVariableAdvice = {
  reason: "there are no accounts, QOS or reservations on the cloud",
};

const ADVICE: ReadonlyMap<string, MissingVariableAdvice> = new Map([
  ["SLURM_MEM_PER_CPU", { reason: "memory is reported per node", instead: "SLURM_MEM_PER_NODE" }],
  ["SLURM_MEM_PER_GPU", { reason: "memory is reported per node", instead: "SLURM_MEM_PER_NODE" }],
  ["SLURM_STEP_GPUS", GPU_ADVICE],
  ["SLURM_GPUS", GPU_ADVICE],
  ["SLURM_GPUS_PER_TASK", GPU_ADVICE],
  ["SLURM_GPUS_PER_SOCKET", GPU_ADVICE],
  ["SLURM_TMPDIR", SCRATCH_ADVICE],
  ["SLURM_JOBTMP", SCRATCH_ADVICE],
  ["SLURM_JOB_ACCOUNT", NO_ACCOUNTING],
  ["SLURM_JOB_QOS", NO_ACCOUNTING],
  ["SLURM_JOB_RESERVATION", NO_ACCOUNTING],
  ["SLURM_MPI_TYPE", { reason: "the srun shim has no MPI plugin (no PMI/PMIx)" }],
  [
    "SLURM_NODEFILE",
    {
      reason: "no node file is written",
      instead: "`scontrol show hostnames > hostfile` (the shim supports it)",
    },
  ],
  [
    "SLURM_HOSTFILE",
    {
      reason: "no node file is written",
      instead: "`scontrol show hostnames > hostfile` (the shim supports it)",
    },
  ],
  ["SLURM_TASK_PID", { reason: "it is not emulated", instead: "$$" }],
  ["SLURM_CONF", { reason: "there is no slurm.conf on the instance" }],
  ["SLURM_JOB_SCRIPT", { reason: "the emulation does not expose the script's path" }],
  ["SLURM_JOB_MD5SUM", { reason: "the emulation does not expose the script's checksum" }],
]);

/**
 * Advice for a SLURM variable the emulation does not set (the caller checked that), or undefined
 * when nothing specific is known about the name.
 */
export function missingVariableAdvice(name: string): MissingVariableAdvice | undefined {
  const known = ADVICE.get(name);
  if (known) return known;
  if (SRUN_TASK_VARIABLES.has(name) || name.startsWith("SLURM_STEP_")) {
    return { reason: "the srun shim sets step variables only inside the tasks it starts" };
  }
  if (name.startsWith("SLURM_HET_") || name.includes("_HET_GROUP_") || name.startsWith("SLURM_PACK_")) {
    return { reason: "heterogeneous jobs are not supported" };
  }
  return undefined;
}

/** An emulated variable within edit distance 2 of `name` (a likely typo), if exactly one is closest. */
export function closestEmulatedVariable(name: string): string | undefined {
  const limit = 3;
  let best: string | undefined;
  let bestDistance = limit;
  let tie = false;
  for (const candidate of EMULATED_SLURM_VARIABLES) {
    if (Math.abs(candidate.length - name.length) >= limit) continue;
    const d = editDistance(name, candidate, limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && d < limit) tie = true;
  }
  return tie ? undefined : best;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin >= limit) return limit;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[b.length]!, limit);
}
