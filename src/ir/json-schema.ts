/**
 * The JSON Schema of Flow YAML, generated from the one zod schema so editors validate exactly
 * what the compiler accepts. `schema/flow.schema.json` is this output, checked in; a test fails
 * when it is stale (`npm run schema:update` rewrites it).
 *
 * Every field of the published schemas carries a title, a description and examples (editors show
 * them on hover and offer the examples on completion): the zod schema's own metadata first, then
 * the tables here for what it leaves out. A test walks the documents and fails on any field
 * without all three.
 */
import * as z from "zod/mini";
import { TaskConfigSchema } from "./task-config.ts";

export const FLOW_SCHEMA_ID = "https://flow.dev/schema/flow.schema.json";

/** Documentation added to a generated schema, by field path (`volumes[].name`, `slurm.signal.name`). */
export interface FieldDocs {
  readonly title?: string;
  readonly description?: string;
  readonly examples?: readonly unknown[];
}

type SchemaNode = Record<string, unknown>;

/** `max_price_per_hour` → `Max price per hour`: the title when no table names one. */
export function titleOf(key: string): string {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Adds titles, descriptions and examples to every property of a generated schema, in place:
 * values from `docs` win over none, never over the zod metadata.
 */
export function annotateSchema(root: SchemaNode, docs: Readonly<Record<string, FieldDocs>>): void {
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== "object") return;
    const n = node as SchemaNode;
    const properties = n.properties as Record<string, SchemaNode> | undefined;
    if (properties) {
      for (const [key, property] of Object.entries(properties)) {
        const p = path ? `${path}.${key}` : key;
        const doc = docs[p] ?? {};
        if (property.title === undefined) property.title = doc.title ?? titleOf(key);
        if (property.description === undefined && doc.description !== undefined)
          property.description = doc.description;
        if (property.examples === undefined && doc.examples !== undefined)
          property.examples = [...doc.examples];
        walk(property, p);
      }
    }
    if (n.items) walk(n.items, `${path}[]`);
    for (const k of ["anyOf", "oneOf", "allOf"]) if (Array.isArray(n[k])) for (const v of n[k]) walk(v, path);
    if (n.additionalProperties && typeof n.additionalProperties === "object")
      walk(n.additionalProperties, path);
  };
  walk(root, "");
}

/** What the TaskConfig zod schema leaves undocumented. */
export const FLOW_DOCS: Readonly<Record<string, FieldDocs>> = {
  shell: { examples: ["python train.py --epochs 10 | tee train.log"] },
  script: { examples: ["#!/bin/bash\nset -e\npython train.py\n"] },
  env: { examples: [{ WANDB_MODE: "offline", NCCL_DEBUG: "INFO" }] },
  working_dir: { examples: ["/workspace"] },
  volumes: { examples: [[{ name: "datasets", size_gb: 500, mount_path: "/data" }]] },
  "volumes[].interface": { examples: ["block"] },
  "volumes[].iops": { examples: [3000] },
  data_mounts: { examples: [[{ source: "s3://bucket/dataset", target: "/data" }]] },
  "data_mounts[].mount_type": { examples: ["s3fs"] },
  "data_mounts[].options": { examples: [{ readonly: true }] },
  "data_mounts[].cache_key": { examples: ["imagenet-v2"] },
  "data_mounts[].size_estimate_gb": { examples: [150] },
  min_run_time_hours: { examples: [1] },
  deadline_hours: { examples: [48] },
  num_instances: { examples: [2] },
  ssh_keys: { examples: [["sshkey_abc123"]] },
  upload_code: { examples: [false] },
  priority: { examples: ["high"] },
  auto_terminate: { examples: [true] },
  min_cpus_per_node: { examples: [32] },
  min_memory_gb_per_node: { examples: [256] },
  array: { examples: [{ task_ids: [0, 1, 2, 3], max_running: 2 }] },
  "array.max_running": { examples: [2] },
  slurm: { examples: [{ job_name: "train", ntasks_per_node: 8, gpus_per_node: 8 }] },
  "slurm.job_name": { examples: ["train"] },
  "slurm.ntasks": { examples: [16] },
  "slurm.ntasks_per_node": { examples: [8] },
  "slurm.cpus_per_task": { examples: [12] },
  "slurm.gpus_per_node": { examples: [8] },
  "slurm.mem_per_node_mb": { examples: [524288] },
  "slurm.time_limit_minutes": { examples: [240] },
  "slurm.partition": { examples: ["gpu"] },
  "slurm.output": { examples: ["logs/%x-%j.out"] },
  "slurm.error": { examples: ["logs/%x-%j.err"] },
  "slurm.open_mode": { examples: ["append"] },
  "slurm.signal": { examples: [{ name: "USR2", seconds_before: 90 }] },
  "slurm.signal.name": { description: "Signal name without SIG (USR1, USR2, TERM…).", examples: ["USR2"] },
  "slurm.signal.seconds_before": {
    description: "Seconds before the time limit at which the signal is sent.",
    examples: [90],
  },
  "slurm.signal.batch_only": {
    description: "Send it to the batch script only (`B:`), not to the srun tasks.",
    examples: [false],
  },
};

/**
 * YAML 1.1 boolean spellings the Flow YAML reader accepts (with a warning) in boolean fields. A
 * copy of the reader's pattern (the IR does not import a frontend): test/unit/ir/json-schema.test.ts
 * holds the two to the same words.
 */
const YAML11_BOOLEANS = [
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "on",
  "On",
  "ON",
  "off",
  "Off",
  "OFF",
];

/**
 * Where a Flow YAML *file* may hold more than the IR's type, because the reader converts it: env
 * values are read from the scalar's source text (`1.10`, `3`, `true` are fine), and boolean
 * fields take PyYAML's YAML 1.1 spellings (`yes`, `on`).
 */
function widenForYaml(schema: SchemaNode): void {
  const properties = schema.properties as Record<string, SchemaNode>;
  const env = properties.env!;
  env.additionalProperties = { type: ["string", "number", "boolean"] };
  for (const name of ["upload_code", "auto_terminate"]) {
    const property = properties[name]!;
    delete property.type;
    property.anyOf = [{ type: "boolean" }, { enum: YAML11_BOOLEANS }];
  }
}

/** The schema document as text, with a trailing newline (what the checked-in file holds). */
export function flowJsonSchemaText(): string {
  const schema = z.toJSONSchema(TaskConfigSchema, { io: "input", target: "draft-2020-12" }) as SchemaNode;
  widenForYaml(schema);
  annotateSchema(schema, FLOW_DOCS);
  const document = { ...schema, $id: FLOW_SCHEMA_ID, title: "Flow task (TaskConfig)" };
  return `${JSON.stringify(document, null, 2)}\n`;
}
