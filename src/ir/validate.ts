/**
 * Validation of a raw (frontend-produced) task against the TaskConfig schema and every rule in
 * `checks/`. All problems are reported in one pass, each at the source span of the offending key or
 * value; a value is returned only when there is no error. Instance types come back in their one
 * canonical spelling.
 */
import * as z from "zod/mini";
import {
  type Diagnostic,
  diagnostic,
  hasErrors,
  type PassResult,
  sortDiagnostics,
} from "../diagnostics/diagnostic.ts";
import { closest } from "../diagnostics/did-you-mean.ts";
import { runChecks } from "./checks/index.ts";
import { type CompiledSchema, compileSchema } from "./compiled-schema.ts";
import { describeExpected, describeKind, describePath, isRecord } from "./describe.ts";
import { parseInstanceType, printInstanceType } from "./instance-type/index.ts";
import { type SpanMap, spanAt } from "./span-map.ts";
import {
  MountSpecSchema,
  sanitizeTaskName,
  TASK_CONFIG_FIELDS,
  type TaskConfig,
  TaskConfigSchema,
  VolumeSpecSchema,
} from "./task-config.ts";

/** Names users of the Python Flow SDK write by mistake, and the field they mean. */
const FIELD_ALIASES: Readonly<Record<string, string>> = {
  max_price: "max_price_per_hour",
  price: "max_price_per_hour",
  price_per_hour: "max_price_per_hour",
  limit_price: "max_price_per_hour",
  environment: "env",
  envs: "env",
  ssh_key: "ssh_keys",
  instance_count: "num_instances",
  instances: "num_instances",
  nodes: "num_instances",
  num_nodes: "num_instances",
  gpu: "instance_type",
  gpu_type: "instance_type",
  instance: "instance_type",
  cmd: "command",
  workdir: "working_dir",
  cwd: "working_dir",
  mounts: "data_mounts",
  max_runtime_hours: "max_run_time_hours",
  max_runtime: "max_run_time_hours",
  docker_image: "image",
  container_image: "image",
  volume: "volumes",
};

/** The field names valid at an IR path (for "did you mean" on unknown keys). */
function fieldsAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return TASK_CONFIG_FIELDS;
  if (path[0] === "volumes") return Object.keys(VolumeSpecSchema.shape);
  if (path[0] === "data_mounts") return Object.keys(MountSpecSchema.shape);
  return [];
}

function boundWording(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, small: boolean): string {
  const limit = small
    ? (issue as z.core.$ZodIssueTooSmall).minimum
    : (issue as z.core.$ZodIssueTooBig).maximum;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case "string":
      return small
        ? Number(limit) <= 1
          ? "must not be empty"
          : `must be at least ${limit} characters`
        : `must be at most ${limit} characters`;
    case "array":
      return small ? `must have at least ${limit} item(s)` : `must have at most ${limit} items`;
    default:
      if (small) return inclusive ? `must be at least ${limit}` : `must be greater than ${limit}`;
      return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
  }
}

/** True when zod used its own generic text (we then word the message ourselves). */
function isGenericMessage(message: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized)/.test(message);
}

/** Converts one zod issue into diagnostics at the right spans. */
function issueToDiagnostics(issue: z.core.$ZodIssue, spans: SpanMap): Diagnostic[] {
  const path = issue.path;
  const where = describePath(path);
  const at = spanAt(spans, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const valid = fieldsAt(path);
      return issue.keys.map((key) => {
        const keyPath = [...path, key];
        const guess = closest(key, valid, FIELD_ALIASES);
        const inWhat = path.length === 0 ? "" : ` in ${where}`;
        return diagnostic("IR003", `unknown field \`${key}\`${inWhat}`, spanAt(spans, keyPath, true), {
          suggestions: guess
            ? [{ message: `did you mean \`${guess}\`?`, replacement: guess }]
            : [{ message: `valid fields here: ${[...valid].sort().join(", ")}` }],
        });
      });
    }
    case "invalid_type": {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) {
        const field = String(path[path.length - 1]);
        return [
          diagnostic("IR002", `missing required field \`${field}\``, spanAt(spans, path.slice(0, -1), true), {
            suggestions: field === "name" ? [{ message: "add a line such as `name: my-task`" }] : [],
          }),
        ];
      }
      return [
        diagnostic(
          "IR001",
          `${where} must be ${describeExpected(issue.expected)}, not ${describeKind(input)}`,
          at,
        ),
      ];
    }
    case "invalid_union": {
      const field = path[path.length - 1];
      const input = (issue as { input?: unknown }).input;
      const expected =
        field === "command"
          ? "a string or a list of strings"
          : field === "priority"
            ? "low, med, high or a whole number from 1 to 100"
            : "a valid value";
      return [diagnostic("IR001", `${where} must be ${expected}, not ${describeKind(input)}`, at)];
    }
    case "invalid_value": {
      const input = (issue as { input?: unknown }).input;
      const options = issue.values.map(String);
      const guess = typeof input === "string" ? closest(input, options) : undefined;
      return [
        diagnostic("IR005", `${where} must be one of ${options.join(", ")}`, at, {
          suggestions: guess ? [{ message: `did you mean \`${guess}\`?`, replacement: guess }] : [],
        }),
      ];
    }
    case "too_small":
    case "too_big": {
      const message = isGenericMessage(issue.message)
        ? `${where} ${boundWording(issue, issue.code === "too_small")}`
        : issue.message;
      return [diagnostic("IR004", message, at)];
    }
    case "invalid_format": {
      const input = String((issue as { input?: unknown }).input ?? "");
      if (path.length === 1 && path[0] === "name") {
        const fixed = sanitizeTaskName(input, "task");
        return [
          diagnostic("IR008", `invalid task name \`${input}\`: ${issue.message}`, at, {
            suggestions: [{ message: `use \`${fixed}\``, replacement: fixed }],
          }),
        ];
      }
      if (path.length === 1 && path[0] === "image")
        return [diagnostic("IR005", `invalid image \`${input}\`: ${issue.message}`, at)];
      const fixed = input
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/^[^a-z]+|-+$/g, "");
      return [
        diagnostic("IR005", `${where}: ${issue.message}`, at, {
          suggestions: fixed ? [{ message: `use \`${fixed}\``, replacement: fixed }] : [],
        }),
      ];
    }
    default:
      return [diagnostic("IR005", `${where}: ${issue.message}`, at)];
  }
}

/**
 * Validates a raw task. `raw` is what a frontend built (plain JSON data); `spans` says where each
 * part came from. Returns the TaskConfig when there is no error, and every diagnostic found.
 */
export function validateTaskConfig(raw: unknown, spans: SpanMap): PassResult<TaskConfig> {
  const diagnostics: Diagnostic[] = [];
  let data = fastParse(raw);
  if (data === undefined) {
    // Invalid (or not certainly valid): zod decides, and words the issues.
    const parsed = z.safeParse(TaskConfigSchema, raw, { reportInput: true });
    if (parsed.success) data = parsed.data;
    else for (const issue of parsed.error.issues) diagnostics.push(...issueToDiagnostics(issue, spans));
  }
  if (isRecord(raw)) diagnostics.push(...runChecks(raw, spans));
  const sorted = sortDiagnostics(diagnostics);
  if (data === undefined || hasErrors(sorted)) return { value: undefined, diagnostics: sorted };
  return { value: canonicalize(data), diagnostics: sorted };
}

let compiled: CompiledSchema<TaskConfig> | undefined;
let validations = 0;

/**
 * Validations zod does before the fast path is built: building it costs ~2 ms on a cold process,
 * about two first zod parses, so a one-shot compile (a CLI run) leaves it to zod and a process
 * that validates more (a migration, a library user) builds it.
 */
const ZOD_FIRST = 2;

/** zod's output for a valid task, without zod; undefined: let zod decide. */
function fastParse(raw: unknown): TaskConfig | undefined {
  if (compiled === undefined) {
    if (++validations <= ZOD_FIRST) return undefined;
    compiled = compileSchema(TaskConfigSchema);
  }
  return compiled(raw);
}

/** The IR keeps one spelling per instance type (checks have already rejected bad ones). */
function canonicalize(task: TaskConfig): TaskConfig {
  if (task.instance_type === undefined) return task;
  const parsed = parseInstanceType(task.instance_type);
  if (!parsed.ok) return task;
  const canonical = printInstanceType(parsed.spec);
  // `task` is zod's (or the fast path's) fresh copy: already canonical, it is returned as is.
  return canonical === task.instance_type ? task : { ...task, instance_type: canonical };
}
