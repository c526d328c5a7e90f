/**
 * Reads a submitit document (spec/submitit.md §7.2) into what submitit would hold after
 * `AutoExecutor(folder, **executor).update_parameters(**parameters)`: the Slurm executor's parameter
 * dict (§3.3 applied — nulls dropped, generic names type-checked and converted, deprecated
 * unprefixed names renamed with a warning, `slurm_<generic>` over generic, `slurm_<name>` over
 * converted generics, other executors' parameters ignored, unknown names rejected with the valid
 * ones listed), plus the command, arguments, array elements, cwd, env and cloud settings.
 *
 * Every setting keeps its origin (the JSON spans of its key and value), so that everything
 * derived from it — a rendered `#SBATCH` line, an IR field — reports at the user's JSON.
 * Never throws.
 */
import * as z from "zod/mini";
import { type Diagnostic, diagnostic } from "../../diagnostics/diagnostic.ts";
import { closest } from "../../diagnostics/did-you-mean.ts";
import { issuePath } from "../../diagnostics/zod-issue.ts";
import { TASK_CONFIG_FIELDS } from "../../ir/task-config.ts";
import { type JsonEntry, type JsonNode, kindOf, toPlain } from "../../source/json.ts";
import type { Span } from "../../source/source-file.ts";
import { describeIssue, describeSchema } from "./describe.ts";
import {
  EXECUTOR_PARAMETERS,
  EXECUTORS,
  GENERIC_PARAMETERS,
  GENERIC_TO_SLURM,
  LOCAL_PARAMETERS,
  type ParameterSpec,
  parameterNames,
  SLURM_PARAMETERS,
} from "./parameters.ts";

/** Where a setting came from: the spans of its key and value, and its name for messages. */
export interface Origin {
  readonly key?: Span;
  readonly value: Span;
  /** `timeout_min`, `parameters.slurm_time`, `(submitit default)` … */
  readonly label: string;
}

export interface Setting<T = unknown> {
  readonly value: T;
  readonly origin: Origin;
  /** The JSON value it came from (absent for defaults and conversions of it). */
  readonly node?: JsonNode;
}

export interface Word {
  readonly text: string;
  readonly span: Span;
}

export type Command =
  | { readonly kind: "argv"; readonly words: readonly Word[]; readonly origin: Origin }
  | { readonly kind: "line"; readonly text: string; readonly origin: Origin }
  | { readonly kind: "script"; readonly text: string; readonly origin: Origin };

/** A submitit job as the Slurm executor would hold it. */
export interface SubmititJob {
  /** Where submitit's own defaults point: the `parameters` key, else the document's start. */
  readonly defaults: Origin;
  /** The log folder, made absolute (relative folders are under /workspace, the submit directory). */
  readonly folder: Setting<string>;
  /** Slurm parameter name → value, after §3.3 (no defaults filled in). */
  readonly parameters: ReadonlyMap<string, Setting>;
  /** Whether a time limit was given (`timeout_min`, `slurm_time` …). */
  readonly timeGiven: boolean;
  readonly command: Command | undefined;
  readonly args: readonly Word[];
  readonly mapArray: { readonly elements: readonly (readonly Word[])[]; readonly origin: Origin } | undefined;
  readonly cwd: Setting<string> | undefined;
  readonly env: readonly {
    readonly name: string;
    readonly value: string;
    readonly key: Span;
    readonly span: Span;
  }[];
  readonly envOrigin: Origin | undefined;
  /** `cloud` fields (TaskConfig names) with their nodes; validated with the IR. */
  readonly cloud: readonly JsonEntry[];
}

/** Top-level fields of a submitit document. */
const DOCUMENT_FIELDS = [
  "$schema",
  "format",
  "cluster",
  "folder",
  "executor",
  "parameters",
  "parameters_list",
  "command",
  "script",
  "args",
  "cwd",
  "env",
  "map_array",
  "cloud",
] as const;

/** Fields of the `cloud` object (TaskConfig names, fcp-api.md §10). */
export const CLOUD_FIELDS = [
  "instance_type",
  "region",
  "max_price_per_hour",
  "volumes",
  "image",
  "ssh_keys",
] as const;

/** The document version flow reads. */
export const FORMAT_VERSION = "submitit/v1";

/** The log folder when the document names none (spec §7.2 [REC]). */
export const DEFAULT_FOLDER = "submitit_logs/%j";

/** Where relative folders and cwd resolve: the uploaded submit directory. */
const SUBMIT_DIRECTORY = "/workspace";

/** What users write for a generic name (the key is lowercase). */
const ALIASES: Readonly<Record<string, string>> = {
  timeout: "timeout_min",
  time_min: "timeout_min",
  timeout_minutes: "timeout_min",
  walltime: "timeout_min",
  memory: "mem_gb",
  mem_gib: "mem_gb",
  gpus: "gpus_per_node",
  num_gpus_per_node: "gpus_per_node",
  ntasks: "tasks_per_node",
  cpus: "cpus_per_task",
  num_nodes: "nodes",
  job_name: "name",
};

const SLURM_NAMES = Object.keys(SLURM_PARAMETERS);
const GENERIC_NAMES = Object.keys(GENERIC_PARAMETERS);

/** A table entry by a user's key: own properties only (`valueOf`, `__proto__` are no names). */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function originOf(entry: JsonEntry, label = entry.key): Origin {
  return { key: entry.keySpan, value: entry.value.span, label };
}

/** Python's `pathlib` normal form (no `.` parts, no doubled or trailing `/`); `..` is kept. */
function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  const joined = parts.join("/");
  return absolute ? `/${joined}` : joined;
}

/**
 * `folder` or `cwd` as an absolute path on the instance, or undefined after reporting why not:
 * empty, or under `~` (the submitting user's home does not exist there).
 */
function checkedFolder(r: DocumentReader, key: string, text: string, span: Span): string | undefined {
  if (text.trim() === "") {
    r.report(diagnostic("SUBMITIT009", `\`${key}\` must not be empty`, span));
    return undefined;
  }
  if (text.startsWith("~")) {
    r.report(
      diagnostic(
        "SUBMITIT009",
        `\`${key}\` starts with \`~\`: the submitting user's home does not exist on the instance`,
        span,
        { suggestions: [{ message: "write a folder relative to the submit directory, or an absolute one" }] },
      ),
    );
    return undefined;
  }
  return absoluteFolder(text);
}

/** An absolute folder as `Path(folder).absolute()` makes it, the submit directory being /workspace. */
export function absoluteFolder(folder: string): string {
  const normal = normalizePath(folder);
  if (folder.startsWith("/")) return normal;
  return normal === "" ? SUBMIT_DIRECTORY : `${SUBMIT_DIRECTORY}/${normal}`;
}

/**
 * The node and schema an issue path leads to inside a value (a list item, an object entry), or
 * undefined for the value itself or a path the schema does not describe.
 */
function descend(
  schema: z.core.$ZodType,
  node: JsonNode,
  path: readonly PropertyKey[],
): { schema: z.core.$ZodType; node: JsonNode } | undefined {
  if (path.length === 0) return undefined;
  let s = schema;
  let n = node;
  for (const key of path) {
    const def = s._zod.def as unknown as {
      type: string;
      valueType?: z.core.$ZodType;
      element?: z.core.$ZodType;
      shape?: Record<string, z.core.$ZodType>;
    };
    const next =
      def.type === "record" ? def.valueType : def.type === "array" ? def.element : def.shape?.[String(key)];
    const child =
      n.kind === "object"
        ? n.entries.findLast((e) => e.key === key)?.value
        : n.kind === "array" && typeof key === "number"
          ? n.items[key]
          : undefined;
    if (!next || !child) return undefined;
    s = next;
    n = child;
  }
  return { schema: s, node: n };
}

class DocumentReader {
  readonly diagnostics: Diagnostic[] = [];

  report(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  /** Checks a value against a table entry; reports SUBMITIT005 (type) or SUBMITIT009 (range). */
  check(name: string, spec: ParameterSpec, node: JsonNode): boolean {
    const result = z.safeParse(spec.schema, toPlain(node));
    if (result.success) return true;
    const issue = result.error.issues[0];
    const typeProblem = !issue || issue.code === "invalid_type" || issue.code === "invalid_union";
    if (spec === SLURM_PARAMETERS.exclusive && node.kind === "boolean") {
      this.report(
        diagnostic(
          "SUBMITIT009",
          `\`${name}: false\` renders \`#SBATCH --exclusive=False\`, which sbatch rejects`,
          node.span,
          { suggestions: [{ message: `remove \`${name}\` (jobs get whole instances anyway)` }] },
        ),
      );
      return false;
    }
    // A problem inside a list or object is named and marked where it is (`…_parameters.a`).
    const inner = typeProblem && issue ? descend(spec.schema, node, issue.path) : undefined;
    if (inner) {
      const where = `${name}${issuePath(issue?.path ?? []).replace(/^(?!\[)/, ".")}`;
      const found = inner.node.kind === "number" ? `\`${inner.node.text}\`` : kindOf(inner.node);
      this.report(
        diagnostic(
          "SUBMITIT005",
          `\`${where}\` must be ${describeSchema(inner.schema)}, not ${found}`,
          inner.node.span,
        ),
      );
      return false;
    }
    const message = typeProblem
      ? `\`${name}\` must be ${describeSchema(spec.schema)}, not ${node.kind === "number" ? `\`${node.text}\`` : kindOf(node)}`
      : `\`${name}\` ${describeIssue(issue, spec.schema)}`;
    const extra =
      typeProblem && node.kind === "boolean" && describeSchema(spec.schema).includes("number")
        ? [
            {
              message:
                "Python lets a boolean pass as an int, but it renders as a bare flag sbatch misreads (G11)",
            },
          ]
        : [];
    this.report(
      diagnostic(typeProblem ? "SUBMITIT005" : "SUBMITIT009", message, node.span, { notes: extra }),
    );
    return false;
  }

  /**
   * A value rendered into an `#SBATCH` line must not break it: submitit would write the rest of
   * the value as a new line, which ends sbatch's directives (the setup, teardown and srun lists are
   * shell text, where line breaks are fine).
   */
  oneLine(entry: JsonEntry): boolean {
    const name = entry.key.startsWith("slurm_") ? entry.key.slice(6) : entry.key;
    if (name === "setup" || name === "teardown" || name === "srun_args") return true;
    const strings: JsonNode[] =
      entry.value.kind === "object" ? entry.value.entries.flatMap((e) => [e.value]) : [entry.value];
    const keys = entry.value.kind === "object" ? entry.value.entries : [];
    let ok = true;
    for (const node of strings) {
      if (node.kind === "string" && /[\n\r]/.test(node.value)) {
        ok = false;
        this.report(
          diagnostic(
            "SUBMITIT009",
            `\`${entry.key}\`: a line break in a value breaks submitit's \`#SBATCH\` line`,
            node.span,
          ),
        );
      }
    }
    for (const k of keys) {
      if (/[\s=]/.test(k.key) || k.key === "") {
        ok = false;
        this.report(
          diagnostic("SUBMITIT009", `\`${k.key}\` is not an sbatch option name`, k.keySpan, {
            suggestions: [
              { message: "additional_parameters keys are option names such as `reservation` or `mail_type`" },
            ],
          }),
        );
      }
    }
    return ok;
  }

  expectKind(entry: JsonEntry, kind: JsonNode["kind"], what: string): boolean {
    if (entry.value.kind === kind) return true;
    this.report(
      diagnostic(
        "SUBMITIT005",
        `\`${entry.key}\` must be ${what}, not ${kindOf(entry.value)}`,
        entry.value.span,
      ),
    );
    return false;
  }

  words(entry: JsonEntry, allowEmpty: boolean): Word[] | undefined {
    const node = entry.value;
    if (node.kind !== "array") {
      this.report(
        diagnostic(
          "SUBMITIT005",
          `\`${entry.key}\` must be a list of strings, not ${kindOf(node)}`,
          node.span,
        ),
      );
      return undefined;
    }
    const out: Word[] = [];
    let ok = true;
    for (const item of node.items) {
      if (item.kind === "string") out.push({ text: item.value, span: item.span });
      else {
        ok = false;
        this.report(
          diagnostic(
            "SUBMITIT005",
            `items of \`${entry.key}\` must be strings, not ${kindOf(item)}`,
            item.span,
            {
              ...(item.kind === "number" ? { suggestions: [{ message: `write "${item.text}"` }] } : {}),
            },
          ),
        );
      }
    }
    if (!allowEmpty && node.items.length === 0) {
      this.report(diagnostic("SUBMITIT009", `\`${entry.key}\` must not be an empty list`, node.span));
      return undefined;
    }
    return ok ? out : undefined;
  }

  unknownField(entry: JsonEntry, valid: readonly string[], where: string): void {
    const guess = closest(entry.key, valid);
    this.report(
      diagnostic("SUBMITIT004", `unknown field \`${entry.key}\`${where}`, entry.keySpan, {
        suggestions: guess
          ? [{ message: `did you mean \`${guess}\`?`, replacement: JSON.stringify(guess) }]
          : [{ message: `valid fields here: ${valid.join(", ")}` }],
      }),
    );
  }

  /**
   * One `update_parameters(**object)` call: returns the Slurm parameters it sets (converted
   * generics first, then `slurm_<name>`, so those win — §3.3 steps 5–7).
   */
  parameters(object: JsonNode): Map<string, Setting> {
    const out = new Map<string, Setting>();
    if (object.kind !== "object") {
      this.report(
        diagnostic("SUBMITIT005", `parameters must be an object, not ${kindOf(object)}`, object.span),
      );
      return out;
    }
    const generic = new Map<string, Setting>();
    const slurmGeneric = new Map<string, Setting>();
    const slurm = new Map<string, Setting>();
    const given = new Map<string, JsonEntry>();
    const put = (target: Map<string, Setting>, name: string, entry: JsonEntry, canonical: string) => {
      const earlier = given.get(canonical);
      if (earlier) {
        this.report(
          diagnostic(
            "SUBMITIT015",
            `\`${entry.key}\` and \`${earlier.key}\` both set \`${canonical}\``,
            entry.keySpan,
            {
              notes: [{ message: `\`${earlier.key}\` is here`, span: earlier.keySpan }],
              suggestions: [{ message: `keep only \`${canonical}\`` }],
            },
          ),
        );
        return;
      }
      given.set(canonical, entry);
      target.set(name, { value: toPlain(entry.value), origin: originOf(entry), node: entry.value });
    };
    const valid = parameterNames();
    for (const entry of object.entries) {
      const key = entry.key;
      if (entry.value.kind === "null") continue; // §3.3 step 1: None means "not set"
      const genericSpec = own(GENERIC_PARAMETERS, key);
      if (genericSpec) {
        if (this.check(key, genericSpec, entry.value) && this.oneLine(entry)) put(generic, key, entry, key);
        continue;
      }
      const slurmSpec = own(SLURM_PARAMETERS, key);
      if (slurmSpec) {
        // §3.3 step 3: an unprefixed executor-specific name is renamed, with a warning. `setup`
        // belongs to the local executor too, which comes later in plugin order: it wins.
        if (key === "setup") {
          this.report(
            diagnostic(
              "SUBMITIT008",
              "`setup` is renamed by submitit to `local_setup` and ignored on a Slurm cluster: these lines do not run",
              entry.keySpan,
              { suggestions: [{ message: "write `slurm_setup`", replacement: '"slurm_setup"' }] },
            ),
          );
          this.check(key, slurmSpec, entry.value);
          continue;
        }
        this.report(
          diagnostic(
            "SUBMITIT007",
            `unprefixed \`${key}\` is deprecated: submitit reads it as \`slurm_${key}\``,
            entry.keySpan,
            { suggestions: [{ message: `write \`slurm_${key}\``, replacement: `"slurm_${key}"` }] },
          ),
        );
        if (this.check(key, slurmSpec, entry.value) && this.oneLine(entry))
          put(slurm, key, entry, `slurm_${key}`);
        continue;
      }
      const cut = key.indexOf("_");
      const executor = cut > 0 ? key.slice(0, cut) : undefined;
      const arg = cut > 0 ? key.slice(cut + 1) : "";
      if (executor === "slurm") {
        const s = own(SLURM_PARAMETERS, arg);
        const g = own(GENERIC_PARAMETERS, arg);
        if (s) {
          if (this.check(key, s, entry.value) && this.oneLine(entry)) put(slurm, arg, entry, key);
        } else if (g) {
          if (this.check(key, g, entry.value) && this.oneLine(entry)) put(slurmGeneric, arg, entry, key);
        } else {
          const guess = closest(arg, [...SLURM_NAMES, ...GENERIC_NAMES]);
          this.unknownParameter(
            entry,
            `\`${arg}\` is not a parameter of the slurm executor`,
            guess && `slurm_${guess}`,
            valid,
          );
        }
        continue;
      }
      if (executor === "local" || executor === "debug") {
        const ok = GENERIC_NAMES.includes(arg) || (executor === "local" && LOCAL_PARAMETERS.includes(arg));
        if (ok) {
          this.report(
            diagnostic(
              "SUBMITIT008",
              `\`${key}\` is a parameter of submitit's ${executor} executor: ignored on a Slurm cluster`,
              entry.keySpan,
              {
                suggestions: [
                  arg === "setup"
                    ? { message: "write `slurm_setup` to run these lines", replacement: '"slurm_setup"' }
                    : {
                        message: `remove it, or write \`${GENERIC_NAMES.includes(arg) ? arg : `slurm_${arg}`}\``,
                      },
                ],
              },
            ),
          );
        } else {
          const guess = closest(arg, [...GENERIC_NAMES, ...(executor === "local" ? LOCAL_PARAMETERS : [])]);
          this.unknownParameter(
            entry,
            `\`${arg}\` is not a parameter of the ${executor} executor`,
            guess && `${executor}_${guess}`,
            valid,
          );
        }
        continue;
      }
      const guess = closest(key, [...GENERIC_NAMES, ...SLURM_NAMES], ALIASES);
      const suggestion =
        guess === undefined ? undefined : own(GENERIC_PARAMETERS, guess) ? guess : `slurm_${guess}`;
      this.unknownParameter(
        entry,
        executor === undefined
          ? `\`${key}\` is neither a generic parameter nor prefixed by an executor name (${EXECUTORS.join(", ")})`
          : `\`${executor}\` is not an executor submitit knows (${EXECUTORS.join(", ")})`,
        suggestion,
        valid,
      );
    }
    // Steps 5–7: slurm_<generic> over generic, converted, then slurm_<name> over the conversions.
    const generics = new Map(generic);
    for (const [k, v] of slurmGeneric) generics.set(k, v);
    for (const [k, v] of generics) {
      const target = GENERIC_TO_SLURM[k]!;
      out.set(target, k === "mem_gb" ? { ...v, value: convertMem(v.value as number) } : v);
    }
    for (const [k, v] of slurm) out.set(k, v);
    return out;
  }

  unknownParameter(entry: JsonEntry, why: string, guess: string | undefined, valid: readonly string[]): void {
    this.report(
      diagnostic("SUBMITIT006", `unknown parameter \`${entry.key}\`: ${why}`, entry.keySpan, {
        notes: [{ message: `valid parameters: ${valid.join(", ")}` }],
        suggestions: guess
          ? [{ message: `did you mean \`${guess}\`?`, replacement: JSON.stringify(guess) }]
          : [{ message: "see the valid parameters above (submitit would raise NameError)" }],
      }),
    );
  }
}

/** submitit's `_convert_mem`: a whole number of GB → `<n>GB`, else `<floor(n × 1024)>MB`. */
export function convertMem(gb: number): string {
  return Number.isInteger(gb) ? `${gb}GB` : `${Math.floor(gb * 1024)}MB`;
}

const isDocumentField = (k: string): boolean => (DOCUMENT_FIELDS as readonly string[]).includes(k);

/** Reads a parsed JSON document as a submitit job; `job` is undefined when the shape is unusable. */
export function readDocument(root: JsonNode): { job: SubmititJob | undefined; diagnostics: Diagnostic[] } {
  const r = new DocumentReader();
  if (root.kind !== "object") {
    r.report(
      diagnostic("SUBMITIT003", `a submitit document is a JSON object, not ${kindOf(root)}`, root.span, {
        suggestions: [{ message: '{"parameters": {…}, "command": ["python", "train.py"]}' }],
      }),
    );
    return { job: undefined, diagnostics: r.diagnostics };
  }
  const known = root.entries.filter((e) => isDocumentField(e.key));
  if (!known.some((e) => ["format", "parameters", "parameters_list", "command", "script"].includes(e.key))) {
    r.report(
      diagnostic(
        "SUBMITIT003",
        "this JSON is not a submitit parameter document: it has none of `format`, `parameters`, `parameters_list`, `command`, `script`",
        { start: root.span.start, end: root.span.start + 1 },
        {
          notes: [{ message: "flow reads JSON files as submitit parameters (spec: submitit/v1)" }],
          suggestions: [
            {
              message:
                'write {"format": "submitit/v1", "parameters": {…}, "command": [...]}, or pass --format yaml|slurm for another format',
            },
          ],
        },
      ),
    );
    return { job: undefined, diagnostics: r.diagnostics };
  }
  const versioned = root.entries.some((e) => ["format", "parameters", "parameters_list"].includes(e.key));
  const taskKeys = root.entries.filter((e) => !isDocumentField(e.key) && TASK_CONFIG_FIELDS.includes(e.key));
  if (!versioned && taskKeys.length > 0) {
    r.report(
      diagnostic(
        "SUBMITIT003",
        `this JSON looks like a Flow task (${taskKeys.map((e) => `\`${e.key}\``).join(", ")}), not a submitit parameter document`,
        taskKeys[0]!.keySpan,
        {
          suggestions: [
            { message: "compile it as Flow YAML (JSON is YAML): pass --format yaml, or name it .yaml" },
          ],
        },
      ),
    );
    return { job: undefined, diagnostics: r.diagnostics };
  }
  const get = (k: string) => {
    const e = root.entries.find((x) => x.key === k);
    return e && e.value.kind !== "null" ? e : undefined;
  };
  for (const e of root.entries) if (!isDocumentField(e.key)) r.unknownField(e, DOCUMENT_FIELDS, "");

  const schemaRef = get("$schema");
  if (schemaRef) r.expectKind(schemaRef, "string", "a string (the URL or path of submitit.schema.json)");
  const format = get("format");
  if (format && r.expectKind(format, "string", "a string") && format.value.kind === "string") {
    if (format.value.value !== FORMAT_VERSION) {
      r.report(
        diagnostic("SUBMITIT009", `unknown document format \`${format.value.value}\``, format.value.span, {
          suggestions: [
            { message: `write "${FORMAT_VERSION}"`, replacement: JSON.stringify(FORMAT_VERSION) },
          ],
        }),
      );
    }
  }
  const cluster = get("cluster");
  if (cluster && r.expectKind(cluster, "string", "a string") && cluster.value.kind === "string") {
    if (cluster.value.value !== "slurm" && cluster.value.value !== "auto") {
      r.report(
        diagnostic(
          "SUBMITIT009",
          `cluster \`${cluster.value.value}\`: flow runs submitit jobs as a Slurm cluster would (\`slurm\` or \`auto\`)`,
          cluster.value.span,
          { suggestions: [{ message: 'write "slurm"', replacement: '"slurm"' }] },
        ),
      );
    }
  }

  // ── folder ──────────────────────────────────────────────────────────────────────────────────
  const folderEntry = get("folder");
  let folder: Setting<string> = {
    value: absoluteFolder(DEFAULT_FOLDER),
    origin: { value: { start: root.span.start, end: root.span.start + 1 }, label: "(default folder)" },
  };
  if (folderEntry && r.expectKind(folderEntry, "string", "a string") && folderEntry.value.kind === "string") {
    const f = checkedFolder(r, "folder", folderEntry.value.value, folderEntry.value.span);
    if (f !== undefined) {
      folder = { value: f, origin: originOf(folderEntry) };
    }
  }

  // ── executor (constructor arguments: validated, then ignored — §7.5) ─────────────────────
  const executor = get("executor");
  if (executor && r.expectKind(executor, "object", "an object") && executor.value.kind === "object") {
    const validExecutor = Object.keys(EXECUTOR_PARAMETERS).map((n) => `slurm_${n}`);
    for (const e of executor.value.entries) {
      if (e.value.kind === "null") continue;
      let name = e.key.startsWith("slurm_") ? e.key.slice(6) : undefined;
      if (e.key === "max_num_timeout") {
        r.report(
          diagnostic(
            "SUBMITIT007",
            "unprefixed `max_num_timeout` is deprecated: submitit reads it as `slurm_max_num_timeout`",
            e.keySpan,
            {
              suggestions: [
                { message: "write `slurm_max_num_timeout`", replacement: '"slurm_max_num_timeout"' },
              ],
            },
          ),
        );
        name = "max_num_timeout";
      }
      const s = name !== undefined ? own(EXECUTOR_PARAMETERS, name) : undefined;
      if (!s || name === undefined) {
        r.unknownField(e, validExecutor, " in `executor`");
        continue;
      }
      if (!r.check(e.key, s, e.value)) continue;
      r.report(
        diagnostic(
          "SUBMITIT013",
          `\`${e.key}\` ignored: ${
            name === "max_num_timeout"
              ? "flow does not requeue timed-out jobs"
              : name === "python"
                ? "nothing is pickled: the command says what runs"
                : "nothing is pickled"
          }`,
          e.keySpan,
          { suggestions: [{ message: "remove it (flow --strict treats it as an error)" }] },
        ),
      );
    }
  }

  // ── parameters ─────────────────────────────────────────────────────────────────────────────
  const parametersEntry = get("parameters");
  const listEntry = get("parameters_list");
  const defaults: Origin = parametersEntry
    ? { key: parametersEntry.keySpan, value: parametersEntry.keySpan, label: "(submitit default)" }
    : { value: { start: root.span.start, end: root.span.start + 1 }, label: "(submitit default)" };
  const parameters = new Map<string, Setting>();
  if (parametersEntry && listEntry) {
    r.report(
      diagnostic(
        "SUBMITIT011",
        "`parameters` and `parameters_list` cannot both be given",
        listEntry.keySpan,
        {
          notes: [{ message: "`parameters` is here", span: parametersEntry.keySpan }],
          suggestions: [{ message: "keep one of them" }],
        },
      ),
    );
  }
  if (parametersEntry) {
    for (const [k, v] of r.parameters(parametersEntry.value)) parameters.set(k, v);
  } else if (listEntry) {
    if (listEntry.value.kind !== "array") {
      r.report(
        diagnostic(
          "SUBMITIT005",
          `\`parameters_list\` must be a list of objects, not ${kindOf(listEntry.value)}`,
          listEntry.value.span,
        ),
      );
    } else {
      // Repeated update_parameters calls: each converts its own names, then dict.update (§3.3 step 10).
      for (const item of listEntry.value.items) for (const [k, v] of r.parameters(item)) parameters.set(k, v);
    }
  }

  // ── what runs ──────────────────────────────────────────────────────────────────────────────
  const commandEntry = get("command");
  const scriptEntry = get("script");
  let command: Command | undefined;
  if (commandEntry && scriptEntry) {
    r.report(
      diagnostic("SUBMITIT011", "`command` and `script` cannot both be given", scriptEntry.keySpan, {
        notes: [{ message: "`command` is here", span: commandEntry.keySpan }],
        suggestions: [{ message: "keep one of them" }],
      }),
    );
  } else if (!commandEntry && !scriptEntry) {
    r.report(
      diagnostic(
        "SUBMITIT011",
        "the document says nothing to run: give `command` or `script`",
        {
          start: root.span.start,
          end: root.span.start + 1,
        },
        { suggestions: [{ message: 'add "command": ["python", "train.py"]' }] },
      ),
    );
  }
  if (commandEntry) {
    const node = commandEntry.value;
    if (node.kind === "string") {
      if (node.value.trim() === "")
        r.report(diagnostic("SUBMITIT009", "`command` must not be empty", node.span));
      else command = { kind: "line", text: node.value, origin: originOf(commandEntry) };
    } else if (node.kind === "array") {
      const words = r.words(commandEntry, false);
      if (words) command = { kind: "argv", words, origin: originOf(commandEntry) };
    } else {
      r.report(
        diagnostic(
          "SUBMITIT005",
          `\`command\` must be a list of strings or a string, not ${kindOf(node)}`,
          node.span,
        ),
      );
    }
  }
  if (scriptEntry && r.expectKind(scriptEntry, "string", "a string") && scriptEntry.value.kind === "string") {
    if (scriptEntry.value.value.trim() === "")
      r.report(diagnostic("SUBMITIT009", "`script` must not be empty", scriptEntry.value.span));
    else command = { kind: "script", text: scriptEntry.value.value, origin: originOf(scriptEntry) };
  }
  const argsEntry = get("args");
  const args = argsEntry ? (r.words(argsEntry, true) ?? []) : [];
  const lineCommand = commandEntry?.value.kind === "string";
  if (argsEntry && lineCommand) {
    r.report(
      diagnostic(
        "SUBMITIT011",
        "`args` need `command` as a list: a string command is used verbatim",
        argsEntry.keySpan,
        {
          suggestions: [
            { message: "write `command` as a list of words, or put the arguments into the string" },
          ],
        },
      ),
    );
  }
  const mapEntry = get("map_array");
  let mapArray: SubmititJob["mapArray"];
  if (mapEntry) {
    const node = mapEntry.value;
    if (node.kind !== "array") {
      r.report(
        diagnostic(
          "SUBMITIT005",
          `\`map_array\` must be a list of lists of strings, not ${kindOf(node)}`,
          node.span,
        ),
      );
    } else if (node.items.length === 0) {
      r.report(
        diagnostic("SUBMITIT009", "`map_array` is empty: submitit would submit nothing", node.span, {
          suggestions: [{ message: "give one list of arguments per array task, or remove `map_array`" }],
        }),
      );
    } else {
      const elements: Word[][] = [];
      let ok = true;
      for (const item of node.items) {
        const words = r.words({ key: "map_array", keySpan: mapEntry.keySpan, value: item }, true);
        if (words) elements.push(words);
        else ok = false;
      }
      if (ok) mapArray = { elements, origin: originOf(mapEntry) };
    }
    if (lineCommand) {
      r.report(
        diagnostic(
          "SUBMITIT011",
          "`map_array` needs `command` as a list (or a `script`): its elements are appended as arguments",
          mapEntry.keySpan,
        ),
      );
    }
    const extra = parameters.get("additional_parameters")?.value as Record<string, unknown> | undefined;
    if (extra && Object.hasOwn(extra, "array")) {
      r.report(
        diagnostic(
          "SUBMITIT011",
          "`map_array` and an `array` entry in `slurm_additional_parameters` both make the job an array",
          mapEntry.keySpan,
          { suggestions: [{ message: "keep one of them" }] },
        ),
      );
    }
  }

  // ── cwd, env, cloud ────────────────────────────────────────────────────────────────────────
  const cwdEntry = get("cwd");
  let cwd: Setting<string> | undefined;
  if (cwdEntry && r.expectKind(cwdEntry, "string", "a string") && cwdEntry.value.kind === "string") {
    const c = checkedFolder(r, "cwd", cwdEntry.value.value, cwdEntry.value.span);
    if (c !== undefined) cwd = { value: c, origin: originOf(cwdEntry) };
  }
  const envEntry = get("env");
  const env: SubmititJob["env"][number][] = [];
  if (
    envEntry &&
    r.expectKind(envEntry, "object", "an object of strings") &&
    envEntry.value.kind === "object"
  ) {
    for (const e of envEntry.value.entries) {
      if (e.value.kind === "string")
        env.push({ name: e.key, value: e.value.value, key: e.keySpan, span: e.value.span });
      else
        r.report(
          diagnostic(
            "SUBMITIT005",
            `env \`${e.key}\` must be a string, not ${kindOf(e.value)}`,
            e.value.span,
            {
              ...(e.value.kind === "number" ? { suggestions: [{ message: `write "${e.value.text}"` }] } : {}),
            },
          ),
        );
    }
  }
  const cloudEntry = get("cloud");
  const cloud: JsonEntry[] = [];
  if (cloudEntry && r.expectKind(cloudEntry, "object", "an object") && cloudEntry.value.kind === "object") {
    for (const e of cloudEntry.value.entries) {
      if (!(CLOUD_FIELDS as readonly string[]).includes(e.key))
        r.unknownField(e, CLOUD_FIELDS, " in `cloud`");
      else if (e.value.kind !== "null") cloud.push(e);
    }
  }

  const timeGiven = parameters.has("time");
  return {
    job: {
      defaults,
      folder,
      parameters,
      timeGiven,
      command,
      args,
      mapArray,
      cwd,
      env,
      envOrigin: envEntry ? originOf(envEntry) : undefined,
      cloud,
    },
    diagnostics: r.diagnostics,
  };
}
