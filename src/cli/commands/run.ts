/**
 * `flow run <file>` (Flow YAML, SLURM script, submitit parameters: detected as `flow compile`
 * does) and `flow run -i 8xa100 [--image …] [--ssh-keys …]` for an interactive instance: compile,
 * then submit live (submit-live.ts). The interactive form is a Flow YAML task with no command (the
 * instance stays up until cancelled), no code upload, and the given SSH keys — by default every
 * key of the project.
 */
import { detectFormat, INPUT_FORMATS, type InputFormat } from "../../frontends/detect.ts";
import { readInput } from "../files.ts";
import { type CliIo, UsageError } from "../io.ts";
import { type SlurmFlags, slurmOptions } from "../slurm-options.ts";
import { type SubmitFlags, submitLive } from "./submit-live.ts";

export interface RunFlags extends SubmitFlags, SlurmFlags {
  interactive?: string;
  format?: string;
  sshKeys?: string;
  name?: string;
  region?: string;
  maxPrice?: string;
}

/**
 * The flags that only a SLURM script or submitit parameters read (their lowering options): with
 * `-i` or a Flow YAML job they would be silently ignored, so they are refused there.
 */
const LOWERING_FLAGS: readonly (readonly [string, (flags: RunFlags) => boolean])[] = [
  ["--set", (f) => !!f.set?.length],
  ["--partition-map", (f) => f.partitionMap !== undefined],
  ["--module-map", (f) => f.moduleMap !== undefined],
  ["--ignore-dependencies", (f) => !!f.ignoreDependencies],
];

/** The flags of `LOWERING_FLAGS` (and `extra`) that are given, as `--a, --b and --c`; undefined when none is. */
function givenFlags(flags: RunFlags, extra: readonly (readonly [string, boolean])[]): string | undefined {
  const given = [...extra, ...LOWERING_FLAGS.map(([name, set]) => [name, set(flags)] as const)]
    .filter(([, set]) => set)
    .map(([name]) => name);
  if (given.length === 0) return undefined;
  return given.length === 1 ? given[0] : `${given.slice(0, -1).join(", ")} and ${given.at(-1)}`;
}

/** The Flow YAML of an interactive instance. Values are JSON strings: valid YAML scalars. */
function interactiveTask(flags: RunFlags): string {
  const name = flags.name ?? "interactive";
  const lines = [
    `name: ${JSON.stringify(name)}`,
    `instance_type: ${JSON.stringify(flags.interactive)}`,
    "upload_code: false",
  ];
  if (flags.image) lines.push(`image: ${JSON.stringify(flags.image)}`);
  if (flags.region) lines.push(`region: ${JSON.stringify(flags.region)}`);
  if (flags.maxPrice !== undefined) {
    const price = Number(flags.maxPrice.replace(/^\$/, ""));
    if (!Number.isFinite(price) || price <= 0)
      throw new UsageError(
        `--max-price must be a positive number of dollars per instance-hour, not \`${flags.maxPrice}\``,
      );
    lines.push(`max_price_per_hour: ${price}`);
  }
  return `${lines.join("\n")}\n`;
}

export async function runCommand(io: CliIo, file: string | undefined, flags: RunFlags): Promise<number> {
  const sshKeys = (flags.sshKeys ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k !== "");
  if (flags.interactive !== undefined) {
    if (file !== undefined) throw new UsageError("give either a job file or -i <instance type>, not both");
    const jobFileOnly = givenFlags(flags, [["--format", flags.format !== undefined]]);
    if (jobFileOnly !== undefined)
      throw new UsageError(`${jobFileOnly}: options that apply to a job file, not to -i`);
    return submitLive(
      io,
      {
        text: interactiveTask(flags),
        filename: `<interactive ${flags.interactive}>`,
        options: { format: "yaml" },
      },
      flags,
      { sshKeys, requireSshKey: true },
    );
  }
  if (file === undefined)
    throw new UsageError("give a job file (Flow YAML, SLURM script, submitit JSON) or -i <instance type>");
  if (flags.name !== undefined || flags.region !== undefined || flags.maxPrice !== undefined)
    throw new UsageError(
      "--name, --region and --max-price apply to -i (an interactive instance): a job file says them itself",
    );
  if (flags.format !== undefined && !(INPUT_FORMATS as readonly string[]).includes(flags.format))
    throw new UsageError(`--format must be one of ${INPUT_FORMATS.join(", ")}, not \`${flags.format}\``);
  const text = await readInput(io, file);
  const format = (flags.format as InputFormat | undefined) ?? detectFormat(file, text).format;
  const scriptOnly =
    format === "yaml" ? givenFlags(flags, [["--image", flags.image !== undefined]]) : undefined;
  if (scriptOnly !== undefined)
    throw new UsageError(
      `${scriptOnly}: options that apply to SLURM scripts and submitit parameters, not to a Flow YAML job (a Flow YAML job says \`image:\` itself)`,
    );
  return submitLive(
    io,
    {
      text,
      filename: file === "-" ? "<stdin>" : file,
      options: {
        ...(flags.format ? { format: flags.format as InputFormat } : {}),
        slurm: await slurmOptions(io, flags),
      },
    },
    flags,
    { sshKeys },
  );
}
