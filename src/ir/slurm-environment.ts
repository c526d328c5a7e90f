/**
 * The SLURM environment flow emulates on the instance — one list for both layers: the FCP backend's
 * slurm section and srun shim set exactly these (a test holds them to it), and the SLURM frontend's
 * body analysis warns about every other SLURM_* variable a script reads.
 */

/** Variables the batch script sees (spec/slurm.md §10.1; some only when their option is given). */
export const EMULATED_SLURM_VARIABLES: ReadonlySet<string> = new Set([
  "SLURM_JOB_ID",
  "SLURM_JOBID",
  "SLURM_ARRAY_JOB_ID",
  "SLURM_ARRAY_TASK_ID",
  "SLURM_ARRAY_TASK_COUNT",
  "SLURM_ARRAY_TASK_MIN",
  "SLURM_ARRAY_TASK_MAX",
  "SLURM_ARRAY_TASK_STEP",
  "SLURM_CPUS_PER_TASK",
  "SLURM_JOB_NODELIST",
  "SLURM_NODELIST",
  "SLURM_SUBMIT_DIR",
  "SLURM_NTASKS",
  "SLURM_NPROCS",
  "SLURM_TASKS_PER_NODE",
  "SLURM_NTASKS_PER_NODE",
  "SLURM_JOB_NUM_NODES",
  "SLURM_NNODES",
  "SLURM_JOB_NAME",
  "SLURM_NODEID",
  "SLURM_PROCID",
  "SLURM_LOCALID",
  "SLURM_GPUS_ON_NODE",
  "SLURM_JOB_GPUS",
  "SLURM_CPUS_ON_NODE",
  "SLURM_MEM_PER_NODE",
  "SLURM_JOB_PARTITION",
  "SLURM_CLUSTER_NAME",
  "SLURMD_NODENAME",
  "SLURM_SUBMIT_HOST",
  "SLURM_JOB_START_TIME",
  "SLURM_JOB_END_TIME",
  "SLURM_RESTART_COUNT",
  "SLURM_JOB_USER",
  "SLURM_JOB_UID",
  "SLURM_OPEN_MODE",
  "SLURM_JOB_DEPENDENCY",
  "SLURM_EXPORT_ENV",
  "SLURM_JOB_CPUS_PER_NODE",
  "SLURM_GPUS_PER_NODE",
  "SLURM_GTIDS",
  "SLURM_JOB_GID",
  "SLURM_JOB_GROUP",
  "ENVIRONMENT",
]);

/** Variables the srun shim sets only inside the tasks it starts (spec/slurm.md §10.2). */
export const SRUN_TASK_VARIABLES: ReadonlySet<string> = new Set([
  "SLURM_STEP_ID",
  "SLURM_STEP_NUM_TASKS",
  "SLURM_STEP_NUM_NODES",
  "SLURM_STEP_NODELIST",
  "SLURM_STEP_TASKS_PER_NODE",
  "SLURM_STEPID",
]);
