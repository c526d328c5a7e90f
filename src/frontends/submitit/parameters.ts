/**
 * The names submitit accepts, with their value types, as one table (spec/submitit.md §2–§3): the
 * generic parameters AutoExecutor type-checks, the keyword parameters of SlurmExecutor's sbatch
 * renderer (`slurm_<name>`), and the executor's constructor arguments. The validator and the JSON
 * Schema (`schema/submitit.schema.json`) are both built from it, so editors and the compiler agree.
 *
 * Value types are JSON's reading of submitit's (§7.3): generic integers must be integral numbers
 * (booleans, which Python lets through, are rejected); Slurm values that submitit renders with
 * `str()` may be a string or a number, never a list or an object (whose Python repr no sbatch
 * option reads).
 */
import * as z from "zod/mini";

/** Documentation of one name: what editors show and the README lists. */
export interface ParameterDoc {
  readonly title: string;
  readonly description: string;
  readonly example: unknown;
}

export interface ParameterSpec extends ParameterDoc {
  readonly schema: z.core.$ZodType;
}

const text = () => z.union([z.string(), z.number()]);
const intOrText = (min: number) => z.union([z.int().check(z.minimum(min)), z.string()]);
const lines = () => z.array(z.string());

const spec = (
  schema: z.core.$ZodType,
  title: string,
  description: string,
  example: unknown,
): ParameterSpec => ({
  schema,
  title,
  description,
  example,
});

/** AutoExecutor's generic parameters (§3.1), in submitit's order. */
export const GENERIC_PARAMETERS: Readonly<Record<string, ParameterSpec>> = {
  name: spec(z.string(), "Job name", "Job name (`--job-name`); default `submitit`.", "train"),
  timeout_min: spec(
    z.int().check(z.nonnegative()),
    "Time limit (minutes)",
    "Time limit in minutes (`--time`). Without it submitit asks for 5 minutes.",
    240,
  ),
  mem_gb: spec(
    z.number().check(z.nonnegative()),
    "Memory per node (GB)",
    "Memory per node in GiB: a whole number renders `--mem=<N>GB`, a fraction `--mem=<floor(N×1024)>MB`.",
    64,
  ),
  nodes: spec(z.int().check(z.minimum(1)), "Nodes", "Number of nodes (`--nodes`); default 1.", 2),
  cpus_per_task: spec(z.int().check(z.minimum(1)), "CPUs per task", "CPUs per task (`--cpus-per-task`).", 8),
  gpus_per_node: spec(
    z.int().check(z.nonnegative()),
    "GPUs per node",
    "GPUs per node (`--gpus-per-node`).",
    8,
  ),
  tasks_per_node: spec(
    z.int().check(z.minimum(1)),
    "Tasks per node",
    "Tasks (copies of the command) per node (`--ntasks-per-node`); default 1.",
    8,
  ),
  stderr_to_stdout: spec(
    z.boolean(),
    "Merge stderr into stdout",
    "Write stderr into the stdout log (no `--error`).",
    false,
  ),
};

/** SlurmExecutor's parameters (§3.2): valid as `slurm_<name>`, deprecated unprefixed. */
export const SLURM_PARAMETERS: Readonly<Record<string, ParameterSpec>> = {
  job_name: spec(text(), "Job name", "`--job-name`; wins over `name`.", "train"),
  partition: spec(
    text(),
    "Partition",
    "`--partition` (no meaning on the cloud unless a partition map names it).",
    "gpu",
  ),
  time: spec(
    intOrText(0),
    "Time limit",
    "`--time`: minutes, or any Slurm duration (`1-00:00:00`); wins over `timeout_min`.",
    "12:00:00",
  ),
  nodes: spec(intOrText(1), "Nodes", "`--nodes`: a count or a range `min-max`.", 2),
  ntasks_per_node: spec(intOrText(1), "Tasks per node", "`--ntasks-per-node`.", 8),
  cpus_per_task: spec(intOrText(1), "CPUs per task", "`--cpus-per-task`.", 8),
  cpus_per_gpu: spec(
    intOrText(1),
    "CPUs per GPU",
    "`--cpus-per-gpu` (submitit warns unless gpus_per_task is set).",
    8,
  ),
  num_gpus: spec(
    intOrText(0),
    "GPUs per node (legacy)",
    "Legacy: moved to `gpus_per_node` with a warning.",
    8,
  ),
  gpus_per_node: spec(intOrText(0), "GPUs per node", "`--gpus-per-node`: a count or `type:count`.", "h100:8"),
  gpus_per_task: spec(intOrText(0), "GPUs per task", "`--gpus-per-task`.", 1),
  qos: spec(text(), "QOS", "`--qos` (no meaning on the cloud).", "high"),
  setup: spec(lines(), "Setup lines", "Shell lines run before the command, once per node.", [
    "source .venv/bin/activate",
  ]),
  teardown: spec(lines(), "Teardown lines", "Shell lines run after the command.", ["echo done"]),
  mem: spec(text(), "Memory per node", "`--mem`: a Slurm size (`32G`); wins over `mem_gb`.", "32G"),
  mem_per_gpu: spec(text(), "Memory per GPU", "`--mem-per-gpu`: a Slurm size.", "80G"),
  mem_per_cpu: spec(text(), "Memory per CPU", "`--mem-per-cpu`: a Slurm size.", "4G"),
  signal_delay_s: spec(
    z.int().check(z.nonnegative()),
    "Signal delay (seconds)",
    "`--signal=USR2@<s>`: USR2 reaches the tasks this many seconds before the time limit; default 90.",
    120,
  ),
  comment: spec(text(), "Comment", "`--comment` (no meaning on the cloud).", "nightly run"),
  constraint: spec(
    text(),
    "Constraint",
    "`--constraint`: node features; GPU models (`a100`) choose the GPU.",
    "a100",
  ),
  exclude: spec(
    text(),
    "Excluded nodes",
    "`--exclude`: cluster host names (no meaning on the cloud).",
    "node[1-3]",
  ),
  account: spec(text(), "Account", "`--account` (no meaning on the cloud).", "research"),
  gres: spec(text(), "Generic resources", "`--gres`: `gpu:<type>:<count>` chooses the GPUs.", "gpu:a100:4"),
  mail_type: spec(text(), "Mail type", "`--mail-type` (no mail is sent from the cloud).", "END"),
  mail_user: spec(text(), "Mail user", "`--mail-user` (no mail is sent from the cloud).", "me@example.org"),
  nodelist: spec(
    text(),
    "Node list",
    "`--nodelist`: host names; their count sets the node count.",
    "node[1-2]",
  ),
  dependency: spec(
    text(),
    "Dependency",
    "`--dependency` (the cloud does not wait for other jobs).",
    "afterok:123",
  ),
  exclusive: spec(
    z.union([z.literal(true), z.string()]),
    "Exclusive",
    "`true` renders `--exclusive`, a string `--exclusive=<v>`; `false` renders `--exclusive=False`, which sbatch rejects.",
    true,
  ),
  array_parallelism: spec(
    z.int().check(z.minimum(1)),
    "Array parallelism",
    "At most this many array tasks run at once (the `%` of `--array`); default 256.",
    16,
  ),
  wckey: spec(z.string(), "WCKey", "`--wckey`; submitit always renders it (default `submitit`).", "submitit"),
  stderr_to_stdout: spec(z.boolean(), "Merge stderr into stdout", "As the generic `stderr_to_stdout`.", true),
  additional_parameters: spec(
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    "Additional sbatch options",
    "Extra sbatch options: each key (`_` becomes `-`) and value render as one `#SBATCH --key=value` line; `true` is a bare flag.",
    { exclusive: true, reservation: "big" },
  ),
  srun_args: spec(lines(), "srun arguments", "Extra arguments for the `srun` line that starts the tasks.", [
    "--cpu-bind=none",
  ]),
  use_srun: spec(
    z.boolean(),
    "Use srun",
    "`false`: the command runs once, directly in the batch script, instead of once per task through srun.",
    true,
  ),
};

/** AutoExecutor constructor arguments the Slurm executor takes (§2.2), as `slurm_<name>`. */
export const EXECUTOR_PARAMETERS: Readonly<Record<string, ParameterSpec>> = {
  max_num_timeout: spec(
    z.int().check(z.nonnegative()),
    "Timeout requeues",
    "How often a checkpointable job requeues itself after a timeout (no requeue on the cloud: ignored).",
    3,
  ),
  max_pickle_size_gb: spec(
    z.number().check(z.positive()),
    "Maximum pickle size (GB)",
    "Largest pickled submission (nothing is pickled here: ignored).",
    1,
  ),
  python: spec(
    z.string(),
    "Python command",
    "Command that starts Python in the job (the command is explicit here: ignored).",
    "python3",
  ),
};

/** Generic names that map onto a Slurm parameter (SlurmExecutor `_equivalence_dict`). */
export const GENERIC_TO_SLURM: Readonly<Record<string, string>> = {
  name: "job_name",
  timeout_min: "time",
  mem_gb: "mem",
  nodes: "nodes",
  cpus_per_task: "cpus_per_task",
  gpus_per_node: "gpus_per_node",
  tasks_per_node: "ntasks_per_node",
  stderr_to_stdout: "stderr_to_stdout",
};

/** Executors submitit knows (plugin order); parameters of the others are validated, then ignored. */
export const EXECUTORS = ["slurm", "local", "debug"] as const;

/** What `local_<name>` accepts besides the generic names (LocalExecutor `_valid_parameters`). */
export const LOCAL_PARAMETERS: readonly string[] = ["setup"];

/** Every name `parameters` accepts (for suggestions and the JSON Schema), sorted. */
export function parameterNames(): string[] {
  const names = new Set<string>(Object.keys(GENERIC_PARAMETERS));
  for (const n of Object.keys(SLURM_PARAMETERS)) names.add(`slurm_${n}`);
  for (const n of Object.keys(GENERIC_PARAMETERS)) names.add(`slurm_${n}`);
  return [...names].sort();
}
