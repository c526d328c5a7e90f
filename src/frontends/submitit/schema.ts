/**
 * The zod schema of a submitit document (spec/submitit.md §7.2), built from the parameter tables,
 * and the JSON Schema generated from it (`schema/submitit.schema.json`, checked in; a test fails
 * when it is stale). Editors validate and complete `params.json` with it; the compiler's own checks
 * (`document.ts`) use the same tables, so both accept the same names and value types. What JSON
 * Schema cannot say (sbatch value grammars, mutual exclusions sbatch enforces, the catalog) is
 * left to the compiler.
 */
import * as z from "zod/mini";
import { annotateSchema, type FieldDocs, FLOW_DOCS } from "../../ir/json-schema.ts";
import { TaskConfigSchema } from "../../ir/task-config.ts";
import { CLOUD_FIELDS, DEFAULT_FOLDER, FORMAT_VERSION } from "./document.ts";
import {
  EXECUTOR_PARAMETERS,
  GENERIC_PARAMETERS,
  LOCAL_PARAMETERS,
  type ParameterSpec,
  SLURM_PARAMETERS,
} from "./parameters.ts";

const SUBMITIT_SCHEMA_ID = "https://flow.dev/schema/submitit.schema.json";

interface Meta {
  readonly title: string;
  readonly description: string;
  readonly examples?: readonly unknown[];
  readonly deprecated?: boolean;
}

/** An optional, nullable field (`null` means "not set", as `None` does for submitit). */
function field(schema: z.core.$ZodType, meta: Meta) {
  const f = z.optional(z.nullable(schema));
  z.globalRegistry.add(f as z.core.$ZodType, {
    title: meta.title,
    description: meta.description,
    ...(meta.examples ? { examples: [...meta.examples] } : {}),
    ...(meta.deprecated ? { deprecated: true } : {}),
  });
  return f;
}

const fromSpec = (s: ParameterSpec, extra: Partial<Meta> = {}) =>
  field(s.schema, { title: s.title, description: s.description, examples: [s.example], ...extra });

function parametersShape(): Record<string, z.core.$ZodType> {
  const shape: Record<string, z.core.$ZodType> = {};
  for (const [n, s] of Object.entries(GENERIC_PARAMETERS)) shape[n] = fromSpec(s);
  for (const [n, s] of Object.entries(SLURM_PARAMETERS)) shape[`slurm_${n}`] = fromSpec(s);
  for (const [n, s] of Object.entries(GENERIC_PARAMETERS)) {
    if (shape[`slurm_${n}`]) continue;
    shape[`slurm_${n}`] = fromSpec(s, {
      description: `As \`${n}\`, for the Slurm executor only; wins over \`${n}\`.`,
    });
  }
  for (const [n, s] of Object.entries(SLURM_PARAMETERS)) {
    if (shape[n]) continue;
    shape[n] =
      n === "setup"
        ? fromSpec(s, {
            description:
              "Deprecated: submitit renames it to `local_setup`, which a Slurm job ignores. Write `slurm_setup`.",
            deprecated: true,
          })
        : fromSpec(s, {
            description: `Deprecated spelling of \`slurm_${n}\` (submitit warns). ${s.description}`,
            deprecated: true,
          });
  }
  for (const prefix of ["local", "debug"]) {
    for (const [n, s] of Object.entries(GENERIC_PARAMETERS))
      shape[`${prefix}_${n}`] = fromSpec(s, {
        description: `For submitit's ${prefix} executor: ignored on Slurm.`,
      });
  }
  for (const n of LOCAL_PARAMETERS) {
    const s = SLURM_PARAMETERS[n]!;
    shape[`local_${n}`] = fromSpec(s, {
      description: "For submitit's local executor: ignored on Slurm. Write `slurm_setup`.",
    });
  }
  return shape;
}

/** `update_parameters(**parameters)`: generic names, `slurm_<name>`, deprecated unprefixed names. */
export const SubmititParametersSchema = z.strictObject(parametersShape()).register(z.globalRegistry, {
  id: "parameters",
  title: "submitit parameters",
  description:
    "Generic names, slurm_<name> names and deprecated unprefixed names, as update_parameters takes them.",
});

const executorShape: Record<string, z.core.$ZodType> = {};
for (const [n, s] of Object.entries(EXECUTOR_PARAMETERS)) executorShape[`slurm_${n}`] = fromSpec(s);
executorShape.max_num_timeout = fromSpec(EXECUTOR_PARAMETERS.max_num_timeout!, {
  description: "Deprecated spelling of `slurm_max_num_timeout` (submitit warns).",
  deprecated: true,
});

const taskShape = TaskConfigSchema.shape as unknown as Record<string, z.ZodMiniOptional<z.core.$ZodType>>;
const cloudShape: Record<string, z.core.$ZodType> = {};
for (const name of CLOUD_FIELDS) {
  const source = taskShape[name]!;
  const meta = z.globalRegistry.get(source) as { description?: string; examples?: unknown[] } | undefined;
  cloudShape[name] = field(source._zod.def.innerType, {
    title: name,
    description: `TaskConfig \`${name}\`: ${meta?.description ?? ""}`.trim(),
    ...(meta?.examples ? { examples: meta.examples } : {}),
  });
}

const words = () => z.array(z.string());

/** A submitit parameter document (`format: submitit/v1`). */
const SubmititDocumentSchema = z.strictObject({
  $schema: field(z.string(), {
    title: "JSON Schema",
    description: "Where editors find this schema (ignored by the compiler).",
    examples: ["../schema/submitit.schema.json"],
  }),
  format: field(z.literal(FORMAT_VERSION), {
    title: "Format",
    description: `Document version; default ${FORMAT_VERSION}.`,
    examples: [FORMAT_VERSION],
  }),
  cluster: field(z.enum(["slurm", "auto"]), {
    title: "Cluster",
    description: "AutoExecutor(cluster=…): flow runs the job as a Slurm cluster would; default slurm.",
    examples: ["slurm"],
  }),
  folder: field(z.string().check(z.minLength(1)), {
    title: "Log folder",
    description: `AutoExecutor(folder=…): log folder (%j %t %A %a); relative to the submit directory. Default ${DEFAULT_FOLDER}.`,
    examples: ["logs/%j"],
  }),
  executor: field(z.strictObject(executorShape), {
    title: "Executor arguments",
    description:
      "AutoExecutor constructor arguments (slurm_max_num_timeout, slurm_python…): validated, then ignored.",
    examples: [{ slurm_max_num_timeout: 3 }],
  }),
  parameters: field(SubmititParametersSchema, {
    title: "Parameters",
    description: "Exactly what you pass to executor.update_parameters(**parameters).",
    examples: [{ timeout_min: 240, nodes: 2, gpus_per_node: 8, slurm_partition: "gpu" }],
  }),
  parameters_list: field(z.array(SubmititParametersSchema), {
    title: "Parameter updates",
    description:
      "Instead of parameters: several update_parameters calls, applied in order (later values win).",
    examples: [[{ timeout_min: 60 }, { slurm_time: "2:00:00" }]],
  }),
  command: field(z.union([z.string().check(z.minLength(1)), words().check(z.minLength(1))]), {
    title: "Command",
    description:
      "What each task runs: a list of words (shell-quoted) or a shell line (verbatim). One of command, script.",
    examples: [["python", "train.py", "--lr", "3e-4"]],
  }),
  script: field(z.string().check(z.minLength(1)), {
    title: "Script",
    description:
      "Script each task runs (its #! line picks the interpreter, bash without one). One of command, script.",
    examples: ["#!/bin/bash\npython train.py\n"],
  }),
  args: field(words(), {
    title: "Arguments",
    description: "Appended to a command list (or passed to the script).",
    examples: [["--epochs", "10"]],
  }),
  cwd: field(z.string().check(z.minLength(1)), {
    title: "Working directory",
    description: "Directory each task starts in; relative to the submit directory (/workspace).",
    examples: ["project"],
  }),
  env: field(z.record(z.string(), z.string()), {
    title: "Environment",
    description: "Extra environment variables for every task.",
    examples: [{ WANDB_MODE: "offline" }],
  }),
  map_array: field(z.array(words()).check(z.minLength(1)), {
    title: "Array elements",
    description: "executor.map_array: one array task per element, its words appended to the command.",
    examples: [
      [
        ["--seed", "0"],
        ["--seed", "1"],
      ],
    ],
  }),
  cloud: field(z.strictObject(cloudShape), {
    title: "Cloud settings",
    description:
      "What submitit cannot say: instance_type override, region, max_price_per_hour, volumes, image, ssh_keys.",
    examples: [{ instance_type: "8xh100", region: "us-central1-a" }],
  }),
});

/**
 * Rules across fields that JSON Schema can state (the compiler checks them too): exactly one of
 * command and script; not both parameters and parameters_list; a string command takes no args and
 * no map_array.
 */
const CROSS_FIELD_RULES = {
  oneOf: [
    { required: ["command"], not: { required: ["script"] } },
    { required: ["script"], not: { required: ["command"] } },
  ],
  allOf: [
    { not: { required: ["parameters", "parameters_list"] } },
    {
      anyOf: [
        { not: { required: ["command"], properties: { command: { type: "string" } } } },
        { not: { anyOf: [{ required: ["args"] }, { required: ["map_array"] }] } },
      ],
    },
  ],
};

/** The cloud fields are TaskConfig fields: their documentation is Flow YAML's. */
const DOCS: Readonly<Record<string, FieldDocs>> = Object.fromEntries(
  Object.entries(FLOW_DOCS)
    .filter(([path]) => (CLOUD_FIELDS as readonly string[]).includes(path.split(/[.[]/)[0]!))
    .map(([path, docs]) => [`cloud.${path}`, docs]),
);

/** The submitit JSON Schema as text, with a trailing newline (what the checked-in file holds). */
export function submititJsonSchemaText(): string {
  const schema = z.toJSONSchema(SubmititDocumentSchema, {
    io: "input",
    target: "draft-2020-12",
    reused: "ref",
  }) as Record<string, unknown>;
  annotateSchema(schema, DOCS);
  const document = {
    ...schema,
    ...CROSS_FIELD_RULES,
    $id: SUBMITIT_SCHEMA_ID,
    title: "submitit job parameters (submitit/v1)",
    description:
      "A submitit job for flow: parameters as passed to AutoExecutor.update_parameters, plus the command and cloud settings.",
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
