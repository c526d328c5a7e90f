/**
 * Assembles a task's startup script from its sections and fits it into the platform's limit
 * (DESIGN invariant 4, fcp-api §8.1): both the UTF-8 byte count and the Unicode code-point count
 * must be within the limit. Raw when it fits; else a gzip+base64 self-extracting bootstrap
 * (`budget.ts`); with code, embedded first and awaited as an upload when that is what it takes;
 * and when nothing fits, no script but an FCP001 error with a size table of the sections, largest
 * first, and advice. Never truncated. The same task always yields byte-identical text (DESIGN
 * invariant 7).
 */
import { countText } from "../../../diagnostics/count.ts";
import { type Diagnostic, diagnostic } from "../../../diagnostics/diagnostic.ts";
import type { TaskConfig } from "../../../ir/task-config.ts";
import { compressedScript } from "./budget.ts";
import { joinSections, measure, type ScriptSection } from "./section.ts";
import { type CodeMode, type CodePlan, codeSection, UPLOAD_PATH } from "./sections/code.ts";
import { envSection } from "./sections/env.ts";
import { headerSection } from "./sections/header.ts";
import { limitSection } from "./sections/limit.ts";
import { runSection, workingDir } from "./sections/run.ts";
import { runtimeSection } from "./sections/runtime.ts";
import { setupSection } from "./sections/setup.ts";
import { type SlurmContext, slurmSection } from "./sections/slurm.ts";
import { volumesSection } from "./sections/volumes.ts";
import { modulesSection } from "./slurm/modules.ts";

/** The platform's startup-script limit, in characters and (because we also count them) UTF-8 bytes. */
export const DEFAULT_SCRIPT_LIMIT = 10_000;

/** The size of one section. */
export interface SectionSize {
  name: string;
  bytes: number;
  chars: number;
}

/** How the script is shipped: as written, or as a gzip+base64 self-extracting bootstrap. */
export type ScriptForm = "raw" | "compressed";

/** How the project's code travels, as the compile result reports it (the API client reads it). */
export interface CodeTransport {
  readonly mode: CodeMode;
  /** sha256 of the archive, lower-case hex; the script checks an uploaded archive against it. */
  readonly sha256: string;
  /** Bytes of the archive. */
  readonly bytes: number;
  /** Where an uploader puts the archive on the instance (`mode: "upload"`). */
  readonly uploadPath: typeof UPLOAD_PATH;
}

/** A built startup script, or the reason there is none. */
export interface StartupScriptResult {
  /** The script as shipped; undefined when even the compressed form is over the limit (never truncated). */
  text: string | undefined;
  /** UTF-8 bytes of the shipped script (of the smallest form tried, when there is none). */
  bytes: number;
  /** Unicode code points of the shipped script (likewise). */
  chars: number;
  limit: number;
  /** Which form is shipped (the last one tried, when there is none). */
  form: ScriptForm;
  /** UTF-8 bytes and code points of the raw script, before any compression. */
  raw: { bytes: number; chars: number };
  /** Sizes of the raw script's sections, in script order. */
  sections: SectionSize[];
  /** How the code travels, when the script unpacks code. */
  code?: CodeTransport;
  /** FCP001 when no form fits the limit. */
  diagnostics: Diagnostic[];
}

/** What the backend knows about the instance type a script will run on. */
export interface InstanceFacts {
  /** vCPUs per instance. */
  readonly cpus?: number;
  /** GPUs per instance. */
  readonly gpus?: number;
  /** Memory per instance in MiB. */
  readonly memoryMb?: number;
}

/** Options of `buildStartupScript`. */
export interface StartupScriptOptions {
  /** Maximum bytes and characters; a positive integer, default `DEFAULT_SCRIPT_LIMIT`. */
  readonly limit?: number;
  /**
   * The array task this script runs (one script per id). Only the slurm section reads it; a task
   * without `slurm` learns its id from its env, which the backend fills.
   */
  readonly arrayTaskId?: number;
  /** The chosen instance type's resources, for the SLURM variables that report them. */
  readonly instance?: InstanceFacts;
  /**
   * The project's code archive, unpacked into the working directory; embedded when the script
   * still fits with it, else awaited as a post-boot upload. Ignored with `upload_code: false`.
   */
  readonly code?: { readonly archive: Buffer; readonly sha256: string };
  /**
   * Sections already built for this very task, reused: the scripts of a SLURM job array differ
   * only in their slurm section, so the backend builds the others once per array. Only valid
   * while the task object and `code` stay the same; never holds the slurm section.
   */
  readonly sectionCache?: Map<string, ScriptSection | undefined>;
}

/**
 * The sections a task's startup script is made of, in order, without any size check; each decides
 * for itself whether the task needs it. Volumes come first (the code or the working directory may
 * live on one); the runtime (Docker, the image) and setup (working directory, script file) and
 * code before env, so that the task's variables reach only the command; slurm after env so that
 * its emulated values win, then flow's `module` functions (`modules`, in their own section so that
 * the size table shows what the module map's setup steps cost); the limit's watchdog just before
 * run, which it guards.
 *
 * @throws Error from the slurm section when an array task with `slurm` has no valid `arrayTaskId`.
 */
export function startupScriptSections(
  task: TaskConfig,
  options: Omit<StartupScriptOptions, "limit" | "code"> = {},
  code?: CodePlan,
): ScriptSection[] {
  const dir = workingDir(task);
  const cache = options.sectionCache;
  const reuse = (key: string, build: () => ScriptSection | undefined) => {
    if (cache === undefined) return build();
    if (!cache.has(key)) cache.set(key, build());
    return cache.get(key);
  };
  const built = [
    reuse("header", () => headerSection(task)),
    reuse("volumes", () => volumesSection(task)),
    reuse("runtime", () => runtimeSection(task)),
    reuse("setup", () => setupSection(task)),
    reuse(`code:${code?.mode}`, () =>
      code !== undefined && dir !== undefined && task.upload_code !== false
        ? codeSection(code, dir)
        : undefined,
    ),
    reuse("env", () => envSection(task)),
    slurmSection(task, slurmContext(options)),
    reuse("modules", () => modulesSection(task)),
    reuse("limit", () => limitSection(task)),
    reuse("run", () => runSection(task)),
  ];
  return built.filter((s): s is ScriptSection => s !== undefined);
}

/** The slurm section's view of the options. */
function slurmContext(options: Omit<StartupScriptOptions, "limit" | "code">): SlurmContext {
  const { arrayTaskId, instance } = options;
  return {
    arrayTaskId,
    instanceCpus: instance?.cpus,
    instanceGpus: instance?.gpus,
    instanceMemoryMb: instance?.memoryMb,
  };
}

/** One candidate script: its sections and measurements in the form tried. */
interface Attempt {
  readonly sections: SectionSize[];
  readonly raw: { bytes: number; chars: number };
  readonly text: string;
  readonly form: ScriptForm;
  readonly bytes: number;
  readonly chars: number;
}

/**
 * Builds the startup script of `task` within `options.limit` (DESIGN invariant 4): the raw script
 * when it fits; else the compressed bootstrap (`budget.ts`) when that fits; with code, first with
 * the archive embedded and then, if neither form fits, with the code awaited as an upload; and
 * when nothing fits, no script but error FCP001 with the section table — never a truncation.
 *
 * @throws RangeError when `options.limit` is not a positive integer.
 * @throws Error when an array task with `slurm` has no valid `options.arrayTaskId`.
 */
export function buildStartupScript(
  task: TaskConfig,
  options: StartupScriptOptions = {},
): StartupScriptResult {
  const limit = options.limit ?? DEFAULT_SCRIPT_LIMIT;
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new RangeError(`buildStartupScript: the limit must be a positive integer, got ${limit}`);
  }
  const code = task.upload_code === false ? undefined : options.code;
  const modes: (CodeMode | undefined)[] =
    code === undefined
      ? [undefined]
      : // an archive whose base64 alone is over the limit cannot fit in either form
        Math.ceil(code.archive.length / 3) * 4 > limit
        ? ["upload"]
        : ["embedded", "upload"];
  const fits = (m: { bytes: number; chars: number }) => m.bytes <= limit && m.chars <= limit;
  let last: Attempt | undefined;
  for (const mode of modes) {
    const plan = code && mode ? { mode, ...code } : undefined;
    const parts = startupScriptSections(task, options, plan);
    const sections: SectionSize[] = [];
    // The script is its sections end to end, so its size is theirs summed (no second pass).
    const raw = { bytes: 0, chars: 0 };
    for (const part of parts) {
      const size = part.size ?? measure(part.text);
      sections.push({ name: part.name, bytes: size.bytes, chars: size.chars });
      raw.bytes += size.bytes;
      raw.chars += size.chars;
    }
    const rawText = joinSections(parts);
    const transport: CodeTransport | undefined =
      code && mode
        ? { mode, sha256: code.sha256, bytes: code.archive.length, uploadPath: UPLOAD_PATH }
        : undefined;
    if (fits(raw)) return result(rawText, raw, limit, "raw", raw, sections, transport);
    const text = compressedScript(rawText, { autoTerminate: task.auto_terminate === true });
    const shipped = measure(text);
    if (fits(shipped)) return result(text, shipped, limit, "compressed", raw, sections, transport);
    last = { sections, raw, text, form: "compressed", bytes: shipped.bytes, chars: shipped.chars };
  }
  const failed = last as Attempt;
  return {
    text: undefined,
    bytes: failed.bytes,
    chars: failed.chars,
    limit,
    form: failed.form,
    raw: failed.raw,
    sections: failed.sections,
    diagnostics: [overLimit(failed, limit)],
  };
}

/** A shipped script's result (one object shape, built without spreads: this runs per script). */
function result(
  text: string,
  size: { bytes: number; chars: number },
  limit: number,
  form: ScriptForm,
  raw: { bytes: number; chars: number },
  sections: SectionSize[],
  code: CodeTransport | undefined,
): StartupScriptResult {
  const { bytes, chars } = size;
  return code === undefined
    ? { text, bytes, chars, limit, form, raw, sections, diagnostics: [] }
    : { text, bytes, chars, limit, form, raw, sections, code, diagnostics: [] };
}

/** What to do about the largest section, by its name. */
const ADVICE: Readonly<Record<string, string>> = {
  setup:
    "the task's `script` is the largest part: put it in a file of the project (it travels with the code upload) and run it as `command`",
  env: "the env values are the largest part: put large values in a file of the project or on a volume and read them from there",
  slurm:
    "the SLURM emulation is the largest part: keep the batch script short and call the long parts from files of the project",
  modules:
    "the module map's setup steps are the largest part (flow's `module` function carries them): put long setup steps in a script file of the project (or in the image) and make the setup step run it",
  code: "the code is the largest part: it is already awaited as an upload, so the rest of the script is too large",
  volumes: "the volumes are the largest part: mount fewer volumes and share one with sub-directories",
  run: "the command line is the largest part: put it in a script file of the project and run that",
};

/** FCP001 with the sections largest first, so the user sees at once what to move out. */
function overLimit(attempt: Attempt, limit: number): Diagnostic {
  const largest = [...attempt.sections].sort((a, b) => b.bytes - a.bytes);
  const first = largest[0]?.name ?? "";
  return diagnostic(
    "FCP001",
    `the startup script is ${size(attempt.raw.bytes, attempt.raw.chars)}, and ${size(attempt.bytes, attempt.chars)} compressed, over the limit of ${countText(limit)} either way; it is never truncated`,
    undefined,
    {
      notes: largest.map((s) => ({ message: `section ${s.name}: ${size(s.bytes, s.chars)}` })),
      suggestions: [
        ...(ADVICE[first] !== undefined ? [{ message: ADVICE[first] }] : []),
        {
          message:
            "move large env values or script text into the project, the image or a volume (and read them from there); " +
            "--script-limit changes the limit only where the platform's own limit is higher",
        },
      ],
    },
  );
}

/** "1,234 bytes", or "1,300 bytes (1,234 characters)" when the two counts differ. */
function size(bytes: number, chars: number): string {
  return bytes === chars
    ? `${countText(bytes)} bytes`
    : `${countText(bytes)} bytes (${countText(chars)} characters)`;
}
