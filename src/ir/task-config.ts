/**
 * THE schema of the TaskConfig IR: the one description of a job that every frontend lowers to and
 * every backend reads. Field names are exactly those of the Python Flow SDK's TaskConfig, so Flow
 * YAML files written for it compile unchanged. Types, formats and single-field ranges live here;
 * rules that relate several fields live in `checks/`, one rule a file.
 *
 * The JSON Schema in `schema/flow.schema.json` is generated from this file (`npm run schema:update`).
 */
import * as z from "zod/mini";

/** Task names: letters, digits, dash and underscore (the SDK's rule; bids are looked up by name). */
export const TASK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The closest valid task name to `name`: runs of other characters become one dash, the result is
 * cut to 64 and then trimmed (so no cut leaves a leading or trailing dash); `fallback` when nothing
 * is left.
 */
export function sanitizeTaskName(name: string, fallback: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .slice(0, 64)
    .replace(/^[-_]+|-+$/g, "");
  return cleaned === "" ? fallback : cleaned;
}

/** Volume names as the FCP API accepts them (OAS26 `CreateVolumeRequest.name`). */
export const VOLUME_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Container image references: registry/name[:tag][@digest]. No whitespace, and never a leading
 * `-`, which `docker pull`/`docker run` would read as an option.
 */
const IMAGE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

/** The longest run time the platform's bids allow: seven days. */
export const MAX_RUN_TIME_HOURS = 168;

const hours = (what: string) =>
  z
    .number()
    .check(
      z.gt(0, { error: `\`${what}\` must be greater than 0` }),
      z.maximum(MAX_RUN_TIME_HOURS, { error: `\`${what}\` must be at most ${MAX_RUN_TIME_HOURS} (7 days)` }),
    );

/** An optional field with its documentation (title-less: the key is the title in editors). */
function field<T extends z.core.$ZodType>(schema: T, description: string, examples?: readonly unknown[]) {
  const optional = z.optional(schema);
  z.globalRegistry.add(optional as z.core.$ZodType, {
    description,
    ...(examples ? { examples: [...examples] } : {}),
  });
  return optional;
}

export const VolumeSpecSchema = z
  .strictObject({
    name: field(
      z.string().check(
        z.maxLength(64),
        z.regex(VOLUME_NAME_PATTERN, {
          error: "volume names are lowercase letters, digits and dashes, starting with a letter",
        }),
      ),
      "Name of the volume to create (or attach, with no volume_id). Lowercase letters, digits, dashes.",
      ["datasets"],
    ),
    size_gb: field(
      z.int().check(z.minimum(1), z.maximum(32000)),
      "Size of a new volume in GB (1 to 32000).",
      [500],
    ),
    mount_path: field(
      z.string(),
      "Absolute path where the volume is mounted on the instance; default /volumes/<name>.",
      ["/data"],
    ),
    interface: field(
      z.enum(["block", "file"]),
      "block: a raw disk formatted on first use; file: a shared file system. Default block.",
    ),
    iops: field(z.int().check(z.positive()), "Requested IOPS for a new block volume."),
    volume_id: field(z.string(), "FID of an existing volume to attach (vol_…); forbids size_gb and iops.", [
      "vol_abc123",
    ]),
  })
  .register(z.globalRegistry, {
    description: "A persistent volume: new (name, size_gb, interface, iops) or existing (volume_id).",
  });

export const MountSpecSchema = z
  .strictObject({
    source: z
      .string()
      .check(z.minLength(1))
      .register(z.globalRegistry, {
        description: "Where the data comes from: a URL (s3://…) or a path on the instance.",
        examples: ["s3://bucket/dataset"],
      }),
    target: z.string().register(z.globalRegistry, {
      description: "Absolute path where the data appears.",
      examples: ["/data"],
    }),
    mount_type: field(z.enum(["bind", "volume", "s3fs"]), "How to mount; default bind."),
    options: field(z.record(z.string(), z.unknown()), "Mount options, e.g. {readonly: true}."),
    cache_key: field(z.string(), "Key under which the data is cached between tasks."),
    size_estimate_gb: field(z.number().check(z.positive()), "Expected data size in GB."),
  })
  .register(z.globalRegistry, { description: "A data mount (MountSpec)." });

export const PRIORITY_TIERS = ["low", "med", "high"] as const;

const count = (what: string) => z.int().check(z.minimum(1, { error: `\`${what}\` must be at least 1` }));

/** A job array: one bid per task id, each told its id (SLURM's `--array`, submitit's `map_array`). */
const ArraySpecSchema = z
  .strictObject({
    task_ids: z
      .array(z.int().check(z.nonnegative()))
      .check(z.minLength(1, { error: "`array.task_ids` must not be empty" }))
      .register(z.globalRegistry, { description: "The array task ids, in order.", examples: [[0, 1, 2, 3]] }),
    max_running: field(count("array.max_running"), "At most this many array tasks run at once (`%N`)."),
  })
  .register(z.globalRegistry, { description: "A job array: one instance group per task id." });

/**
 * What a SLURM batch script expects of its environment, emulated on the instance: the values of
 * the SLURM_* output variables and the shape `srun` launches. Frontends that read sbatch semantics
 * (SLURM, submitit) fill it; Flow YAML may set it to run SLURM-style scripts.
 */
const SlurmJobSchema = z
  .strictObject({
    job_name: field(z.string(), "SLURM_JOB_NAME as sbatch would report it (before sanitising for the bid)."),
    ntasks: field(count("slurm.ntasks"), "Total tasks srun starts (SLURM_NTASKS)."),
    ntasks_per_node: field(count("slurm.ntasks_per_node"), "Tasks per node (SLURM_NTASKS_PER_NODE)."),
    cpus_per_task: field(count("slurm.cpus_per_task"), "CPUs per task (SLURM_CPUS_PER_TASK)."),
    gpus_per_node: field(z.int().check(z.nonnegative()), "GPUs per node (SLURM_GPUS_ON_NODE)."),
    mem_per_node_mb: field(z.int().check(z.nonnegative()), "Memory per node in MB (SLURM_MEM_PER_NODE)."),
    time_limit_minutes: field(z.int().check(z.nonnegative()), "The job's time limit in minutes (0: none)."),
    partition: field(z.string(), "SLURM_JOB_PARTITION as the script names it."),
    output: field(z.string(), "stdout file pattern (%j %A %a %x %N %u %n %t %%), as --output."),
    error: field(z.string(), "stderr file pattern, as --error."),
    open_mode: field(z.enum(["append", "truncate"]), "How output files are opened (--open-mode)."),
    dependency: field(
      z.string(),
      "SLURM_JOB_DEPENDENCY: --dependency as written (reported to the script; nothing waits for it).",
      ["afterok:4411"],
    ),
    export_env: field(z.string(), "SLURM_EXPORT_ENV: --export as written, when it is not ALL.", [
      "NONE",
      "ALL,DEBUG=1",
    ]),
    signal: field(
      z.strictObject({
        name: z.string(),
        seconds_before: z.int().check(z.nonnegative()),
        batch_only: z.optional(z.boolean()),
      }),
      "Signal sent this many seconds before the time limit (--signal).",
    ),
    modules: field(
      z.record(z.string(), z.string()),
      "Present when the script runs `module`/`ml`: the environment modules flow's `module` loads on the instance, each with the shell commands its loading runs (empty: nothing to run, e.g. the image provides it); any other module fails to load, every other subcommand does nothing.",
      [{ "cuda/12.1": "", "python/3.11": "pip install -q numpy" }],
    ),
  })
  .register(z.globalRegistry, { description: "SLURM environment to emulate on the instance." });

export const TaskConfigSchema = z
  .strictObject({
    name: z
      .string()
      .check(
        z.minLength(1, { error: "`name` must not be empty" }),
        z.maxLength(64),
        z.regex(TASK_NAME_PATTERN, { error: "names are letters, digits, dash and underscore" }),
      )
      .register(z.globalRegistry, {
        description:
          "Task name; the bid is created and looked up under it. Letters, digits, dash, underscore.",
        examples: ["gpu-training"],
      }),
    instance_type: field(
      z.string(),
      "Instance type: a100, 8xh100, a100-80gb.sxm.4x, h100-80gb.pcie.1x or it_<FID>.",
      ["8xh100", "a100-80gb.sxm.4x"],
    ),
    min_gpu_memory_gb: field(
      z.int().check(z.positive()),
      "Instead of instance_type: the smallest type whose GPUs have at least this much memory.",
      [80],
    ),
    command: field(
      z.union([
        z.string(),
        z.array(z.string()).check(z.minLength(1, { error: "`command` must not be an empty list" })),
      ]),
      "The command: a list of arguments (run as is) or a string (run by bash).",
      [["python", "train.py", "--epochs", "10"]],
    ),
    shell: field(z.string(), "A shell command line, run by bash."),
    script: field(
      z.string(),
      "Script text; run by the interpreter its #! line names, bash when there is none.",
    ),
    image: field(
      z.string().check(
        z.maxLength(512),
        z.regex(IMAGE_PATTERN, {
          error: "image references are registry/name[:tag][@digest], without spaces or a leading `-`",
        }),
      ),
      "Container image the command runs in, with all GPUs; without it the command runs on the host.",
      ["nvidia/cuda:12.1.0-runtime-ubuntu22.04"],
    ),
    env: field(
      z.record(z.string(), z.string()),
      "Environment variables of the command. Values are strings; YAML scalars keep their source text.",
    ),
    working_dir: field(
      z.string(),
      "Directory the command starts in (absolute). Default /workspace when code is uploaded.",
    ),
    volumes: field(z.array(VolumeSpecSchema), "Persistent volumes to create or attach."),
    data_mounts: field(z.array(MountSpecSchema), "Data to mount into the task."),
    max_price_per_hour: field(
      z.number().check(z.gt(0, { error: "`max_price_per_hour` must be greater than 0" }), z.maximum(100000)),
      "Highest price you pay, in USD per instance-hour (the bid's limit price).",
      [10.0],
    ),
    max_run_time_hours: field(
      hours("max_run_time_hours"),
      "Stop the task after this many hours (0 < h ≤ 168).",
      [24],
    ),
    min_run_time_hours: field(hours("min_run_time_hours"), "Minimum run time the task needs."),
    deadline_hours: field(hours("deadline_hours"), "Hours from submission until the task must be done."),
    region: field(
      z.string().check(z.minLength(1)),
      "Region to bid in; when absent the compiler picks one that offers the instance type.",
      ["us-central1-a"],
    ),
    num_instances: field(
      z
        .int({ error: "`num_instances` must be a whole number" })
        .check(z.minimum(1, { error: "`num_instances` must be at least 1" }), z.maximum(256)),
      "Number of instances (nodes), allocated all or nothing. Default 1.",
    ),
    ssh_keys: field(
      z.array(z.string().check(z.minLength(1))),
      "SSH keys (names or sshkey_ FIDs) allowed to log in.",
    ),
    upload_code: field(z.boolean(), "Upload the current directory to the instance. Default true."),
    priority: field(
      z.union([z.enum(PRIORITY_TIERS), z.int().check(z.minimum(1), z.maximum(100))]),
      "low, med or high (or 1–100); sets the limit price when max_price_per_hour is absent.",
    ),
    auto_terminate: field(z.boolean(), "Release the instance when the command ends."),
    min_cpus_per_node: field(count("min_cpus_per_node"), "Each node needs at least this many vCPUs."),
    min_memory_gb_per_node: field(
      z.number().check(z.positive()),
      "Each node needs at least this much memory (GB).",
    ),
    array: field(ArraySpecSchema, "Run as a job array: one bid per task id."),
    slurm: field(SlurmJobSchema, "SLURM environment to emulate (SLURM_* variables, srun)."),
  })
  .register(z.globalRegistry, { description: "A Flow task (TaskConfig)." });

/** A validated task, as every backend receives it. */
export type TaskConfig = z.output<typeof TaskConfigSchema>;
export type VolumeSpec = z.output<typeof VolumeSpecSchema>;
export type MountSpec = z.output<typeof MountSpecSchema>;
export type ArraySpec = z.output<typeof ArraySpecSchema>;
export type SlurmJob = z.output<typeof SlurmJobSchema>;

/** Every top-level field name, for suggestions. */
export const TASK_CONFIG_FIELDS: readonly string[] = Object.keys(TaskConfigSchema.shape);
