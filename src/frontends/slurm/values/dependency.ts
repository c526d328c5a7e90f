/**
 * `--dependency`/`-d` (spec `slurm.md` §8.10; JS `_parse_dependency_str()`,
 * `_parse_dependency_jobid_new()`, `_parse_dependency_job_array()`): start conditions on other jobs.
 *
 * A list of conditions joined by `,` (all must hold) or `?` (any may hold) — never both. A
 * condition is `singleton`, `type:jobref[:jobref…]` with `type` one of `after`, `afterany`,
 * `afterok`, `afternotok`, `aftercorr`, `afterburstbuffer` (any case), or a bare job id (legacy
 * `afterany`, only in a `,` list). A job reference is `JOBID[_INDEX|_*][+MINUTES][(state)]`.
 * An empty value or `0` clears the dependency. Job ids are not expanded: `afterok:$JOBID` is
 * literal text, which sbatch rejects — we say why.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { nearest, parseValue, placeholderHint, replaceItem, show } from "./text.ts";

/** The dependency kinds that take job references. */
export const DEPENDENCY_TYPES = [
  "after",
  "afterany",
  "afterok",
  "afternotok",
  "aftercorr",
  "afterburstbuffer",
] as const;

/** One of `DEPENDENCY_TYPES`. */
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];

/** One referenced job: `123`, `123_4`, `123_*`, `123+10` (10 minutes after it started, for `after`). */
export interface DependencyJob {
  readonly jobId: number;
  readonly arrayTask?: number | "*";
  readonly minutes?: number;
  readonly state?: string;
}

/** One condition. `legacy` marks a bare job id, which sbatch reads as `afterany`. */
export type DependencyItem =
  | { readonly kind: "singleton" }
  | { readonly kind: DependencyType; readonly jobs: DependencyJob[]; readonly legacy?: true };

/** A parsed `--dependency`: `and` for `,` lists (and single conditions), `or` for `?` lists. */
export interface DependencySpec {
  readonly op: "and" | "or";
  readonly items: DependencyItem[];
}

const MAX_JOB_ID = 4294967294;
const JOBREF = /^(\d+)(?:_(\d+|\*))?(?:\+(\d+))?(?:\(([A-Za-z_]+)\))?$/;

/** Parses `--dependency`: `afterok:123:456`, `afterany:12_*`, `after:5+10`, `singleton`, `a?b`. */
export function parseDependency(text: string): ValueResult<DependencySpec> {
  return parseValue(text, scanDependency);
}

function scanDependency(text: string): ValueResult<DependencySpec> {
  if (text === "" || text === "0")
    return ok({ op: "and", items: [] }, [`${show(text)} clears the dependency`]);
  if (text.includes(",") && text.includes("?")) {
    return fail(
      `${show(text)} mixes \`,\` (all must hold) and \`?\` (any may hold): use one kind of separator`,
    );
  }
  const op = text.includes("?") ? "or" : "and";
  const items: DependencyItem[] = [];
  const notes: string[] = [];
  const separator = op === "or" ? "?" : ",";
  const bare = op === "or" ? text.split("?").find((p) => /^\d+$/.test(p)) : undefined;
  if (bare !== undefined) {
    const fixed = text
      .split("?")
      .map((p) => (/^\d+$/.test(p) ? `afterany:${p}` : p))
      .join("?");
    return fail(`${show(bare)}: a bare job id is only allowed in a \`,\` list; write \`afterany:${bare}\``, [
      fixed,
    ]);
  }
  const parts = text.split(separator);
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (part === "") return fail(`${show(text)} has an empty condition between separators`);
    const item = readItem(part, notes);
    if (!item.ok)
      return fail(
        item.message,
        (item.suggestions ?? []).map((s) => replaceItem(text, separator, index, s)),
      );
    items.push(item.value);
  }
  return ok({ op, items }, notes);
}

function readItem(part: string, notes: string[]): ValueResult<DependencyItem> {
  if (part.toLowerCase() === "singleton") return ok({ kind: "singleton" });
  if (/^\d+$/.test(part)) {
    const job = readJob(part, part);
    if (!job.ok) return job;
    notes.push("a bare job id is the legacy form of `afterany:<jobid>`");
    return ok({ kind: "afterany", jobs: [job.value], legacy: true });
  }
  const colon = part.indexOf(":");
  const typeText = colon < 0 ? part : part.slice(0, colon);
  const type = DEPENDENCY_TYPES.find((t) => t === typeText.toLowerCase());
  if (type === undefined) {
    const guess = nearest(typeText.replace(/[-_]/g, ""), [...DEPENDENCY_TYPES, "singleton"]);
    const hint = placeholderHint(part);
    return fail(
      `${show(part)} is not a dependency: use \`singleton\` or one of ${DEPENDENCY_TYPES.map((t) => `\`${t}\``).join(", ")} followed by \`:jobid\`${hint ? `; ${hint}` : ""}`,
      guess && colon >= 0 ? [`${guess}${part.slice(colon)}`] : guess ? [guess] : [],
    );
  }
  const refs = colon < 0 ? [] : part.slice(colon + 1).split(":");
  if (refs.length === 0 || refs.every((r) => r === "")) {
    return fail(`${show(part)} names no job: write \`${type}:<jobid>\``);
  }
  const jobs: DependencyJob[] = [];
  for (const ref of refs) {
    const job = readJob(ref, part);
    if (!job.ok) return job;
    jobs.push(job.value);
  }
  return ok({ kind: type, jobs });
}

function readJob(ref: string, part: string): ValueResult<DependencyJob> {
  const m = JOBREF.exec(ref);
  if (!m) {
    const hint = placeholderHint(ref);
    return fail(
      hint
        ? `${show(ref)} in ${show(part)} is not a job id: ${hint}, and the job to wait for has to be known when the script is submitted`
        : `${show(ref)} in ${show(part)} is not a job reference: write \`JOBID\`, \`JOBID_INDEX\`, \`JOBID_*\` or \`JOBID+MINUTES\``,
    );
  }
  const jobId = Number(m[1]);
  if (jobId < 1 || jobId > MAX_JOB_ID) return fail(`${show(ref)} in ${show(part)} is not a valid job id`);
  const task = m[2];
  const job: DependencyJob = {
    jobId,
    ...(task === undefined ? {} : { arrayTask: task === "*" ? "*" : Number(task) }),
    ...(m[3] === undefined ? {} : { minutes: Number(m[3]) }),
    ...(m[4] === undefined ? {} : { state: m[4] }),
  };
  return ok(job);
}
