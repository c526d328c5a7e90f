/**
 * THE schema of the TaskConfig IR: the one description of a job that every frontend lowers to and
 * every backend reads. Field names are exactly those of the Python Flow SDK's TaskConfig, so Flow
 * YAML files written for it compile unchanged. Types, formats and single-field ranges live here;
 * rules that relate several fields live in `checks/`, one rule a file.
 *
 * The JSON Schema in `schema/flow.schema.json` is generated from this file (`npm run schema:update`).
 */
import { z } from "zod";

/** Task names: letters, digits, dash and underscore (the SDK's rule; bids are looked up by name). */
export const TASK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Volume names as the FCP API accepts them (OAS26 `CreateVolumeRequest.name`). */
export const VOLUME_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Container image references: registry/name[:tag][@digest]. No whitespace, and never a leading
 * `-`, which `docker pull`/`docker run` would read as an option.
 */
export const IMAGE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

/** The longest run time the platform's bids allow: seven days. */
export const MAX_RUN_TIME_HOURS = 168;

const hours = (what: string) =>
  z
    .number()
    .gt(0, { error: `\`${what}\` must be greater than 0` })
    .max(MAX_RUN_TIME_HOURS, { error: `\`${what}\` must be at most ${MAX_RUN_TIME_HOURS} (7 days)` });

export const VolumeSpecSchema = z
  .strictObject({
    name: z
      .string()
      .max(64)
      .regex(VOLUME_NAME_PATTERN, {
        error: "volume names are lowercase letters, digits and dashes, starting with a letter",
      })
      .optional()
      .describe(
        "Name of the volume to create (or attach, with no volume_id). Lowercase letters, digits, dashes.",
      )
      .meta({ examples: ["datasets"] }),
    size_gb: z
      .number()
      .int()
      .min(1)
      .max(32000)
      .optional()
      .describe("Size of a new volume in GB (1 to 32000).")
      .meta({ examples: [500] }),
    mount_path: z
      .string()
      .optional()
      .describe("Absolute path where the volume is mounted on the instance; default /volumes/<name>.")
      .meta({ examples: ["/data"] }),
    interface: z
      .enum(["block", "file"])
      .optional()
      .describe("block: a raw disk formatted on first use; file: a shared file system. Default block."),
    iops: z.number().int().positive().optional().describe("Requested IOPS for a new block volume."),
    volume_id: z
      .string()
      .optional()
      .describe("FID of an existing volume to attach (vol_…); forbids size_gb and iops.")
      .meta({ examples: ["vol_abc123"] }),
  })
  .describe("A persistent volume: new (name, size_gb, interface, iops) or existing (volume_id).");

export const MountSpecSchema = z
  .strictObject({
    source: z
      .string()
      .min(1)
      .describe("Where the data comes from: a URL (s3://…) or a path on the instance.")
      .meta({ examples: ["s3://bucket/dataset"] }),
    target: z
      .string()
      .describe("Absolute path where the data appears.")
      .meta({ examples: ["/data"] }),
    mount_type: z.enum(["bind", "volume", "s3fs"]).optional().describe("How to mount; default bind."),
    options: z.record(z.string(), z.unknown()).optional().describe("Mount options, e.g. {readonly: true}."),
    cache_key: z.string().optional().describe("Key under which the data is cached between tasks."),
    size_estimate_gb: z.number().positive().optional().describe("Expected data size in GB."),
  })
  .describe("A data mount (MountSpec).");

export const PRIORITY_TIERS = ["low", "med", "high"] as const;

export const TaskConfigSchema = z
  .strictObject({
    name: z
      .string()
      .min(1, { error: "`name` must not be empty" })
      .max(64)
      .regex(TASK_NAME_PATTERN, { error: "names are letters, digits, dash and underscore" })
      .describe("Task name; the bid is created and looked up under it. Letters, digits, dash, underscore.")
      .meta({ examples: ["gpu-training"] }),
    instance_type: z
      .string()
      .optional()
      .describe("Instance type: a100, 8xh100, a100-80gb.sxm.4x, h100-80gb.pcie.1x or it_<FID>.")
      .meta({ examples: ["8xh100", "a100-80gb.sxm.4x"] }),
    min_gpu_memory_gb: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Instead of instance_type: the smallest type whose GPUs have at least this much memory.")
      .meta({ examples: [80] }),
    command: z
      .union([z.string(), z.array(z.string()).min(1, { error: "`command` must not be an empty list" })])
      .optional()
      .describe("The command: a list of arguments (run as is) or a string (run by bash).")
      .meta({ examples: [["python", "train.py", "--epochs", "10"]] }),
    shell: z.string().optional().describe("A shell command line, run by bash."),
    script: z
      .string()
      .optional()
      .describe("Script text; run by the interpreter its #! line names, bash when there is none."),
    image: z
      .string()
      .max(512)
      .regex(IMAGE_PATTERN, {
        error: "image references are registry/name[:tag][@digest], without spaces or a leading `-`",
      })
      .optional()
      .describe(
        "Container image the command runs in, with all GPUs; without it the command runs on the host.",
      )
      .meta({ examples: ["nvidia/cuda:12.1.0-runtime-ubuntu22.04"] }),
    env: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        "Environment variables of the command. Values are strings; YAML scalars keep their source text.",
      ),
    working_dir: z
      .string()
      .optional()
      .describe("Directory the command starts in (absolute). Default /workspace when code is uploaded."),
    volumes: z.array(VolumeSpecSchema).optional().describe("Persistent volumes to create or attach."),
    data_mounts: z.array(MountSpecSchema).optional().describe("Data to mount into the task."),
    max_price_per_hour: z
      .number()
      .gt(0, { error: "`max_price_per_hour` must be greater than 0" })
      .max(100000)
      .optional()
      .describe("Highest price you pay, in USD per instance-hour (the bid's limit price).")
      .meta({ examples: [10.0] }),
    max_run_time_hours: hours("max_run_time_hours")
      .optional()
      .describe("Stop the task after this many hours (0 < h ≤ 168).")
      .meta({ examples: [24] }),
    min_run_time_hours: hours("min_run_time_hours").optional().describe("Minimum run time the task needs."),
    deadline_hours: hours("deadline_hours")
      .optional()
      .describe("Hours from submission until the task must be done."),
    region: z
      .string()
      .min(1)
      .optional()
      .describe("Region to bid in; when absent the compiler picks one that offers the instance type.")
      .meta({ examples: ["us-central1-a"] }),
    num_instances: z
      .number()
      .int({ error: "`num_instances` must be a whole number" })
      .min(1, { error: "`num_instances` must be at least 1" })
      .max(256)
      .optional()
      .describe("Number of instances (nodes), allocated all or nothing. Default 1."),
    ssh_keys: z
      .array(z.string().min(1))
      .optional()
      .describe("SSH keys (names or sshkey_ FIDs) allowed to log in."),
    upload_code: z
      .boolean()
      .optional()
      .describe("Upload the current directory to the instance. Default true."),
    priority: z
      .union([z.enum(PRIORITY_TIERS), z.number().int().min(1).max(100)])
      .optional()
      .describe("low, med or high (or 1–100); sets the limit price when max_price_per_hour is absent."),
    auto_terminate: z.boolean().optional().describe("Release the instance when the command ends."),
  })
  .describe("A Flow task (TaskConfig).");

/** A validated task, as every backend receives it. */
export type TaskConfig = z.output<typeof TaskConfigSchema>;
export type VolumeSpec = z.output<typeof VolumeSpecSchema>;
export type MountSpec = z.output<typeof MountSpecSchema>;

/** Every top-level field name, for suggestions. */
export const TASK_CONFIG_FIELDS: readonly string[] = Object.keys(TaskConfigSchema.shape);
