/**
 * Assembles a task's startup script from its sections and measures it against the platform's
 * limit (DESIGN invariant 4, fcp-api §8.1): both the UTF-8 byte count and the Unicode code-point
 * count must be within the limit. A script over the limit is never truncated: the result carries
 * no text and an FCP001 error with a size table of the sections, largest first. The same task
 * always yields byte-identical text (DESIGN invariant 7).
 */
import { type Diagnostic, diagnostic } from "../../../diagnostics/diagnostic.ts";
import type { TaskConfig } from "../../../ir/task-config.ts";
import { joinSections, type ScriptSection } from "./section.ts";
import { envSection } from "./sections/env.ts";
import { headerSection } from "./sections/header.ts";
import { runSection } from "./sections/run.ts";
import { setupSection } from "./sections/setup.ts";
import { type SlurmContext, slurmSection } from "./sections/slurm.ts";

/** The platform's startup-script limit, in characters and (because we also count them) UTF-8 bytes. */
export const DEFAULT_SCRIPT_LIMIT = 10_000;

/** The size of one section. */
export interface SectionSize {
  name: string;
  bytes: number;
  chars: number;
}

/** A built startup script, or the reason there is none. */
export interface StartupScriptResult {
  /** The script; undefined when it is over the limit (it is never truncated). */
  text: string | undefined;
  /** UTF-8 bytes of the full script. */
  bytes: number;
  /** Unicode code points of the full script. */
  chars: number;
  limit: number;
  /** Sizes of the sections, in script order. */
  sections: SectionSize[];
  /** FCP001 when the script is over the limit. */
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
}

/**
 * UTF-8 bytes and Unicode code points of `text`, the two units the limit applies to. Pure ASCII
 * (the usual script) is answered by the byte count alone; otherwise code points are UTF-16 units
 * minus surrogate pairs.
 */
export function measure(text: string): { bytes: number; chars: number } {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes === text.length) return { bytes, chars: bytes };
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return { bytes, chars: text.length - pairs };
}

/**
 * The sections a task's startup script is made of, in order, without any size check; each decides
 * for itself whether the task needs it. Setup comes before env so that the task's variables reach
 * only the command; slurm comes after env so that its emulated values win, and before run, which
 * it prepares.
 *
 * @throws Error from the slurm section when an array task with `slurm` has no valid `arrayTaskId`.
 */
export function startupScriptSections(
  task: TaskConfig,
  options: Omit<StartupScriptOptions, "limit"> = {},
): ScriptSection[] {
  const built = [
    headerSection(),
    setupSection(task),
    envSection(task),
    slurmSection(task, slurmContext(options)),
    runSection(task),
  ];
  return built.filter((s): s is ScriptSection => s !== undefined);
}

/** The slurm section's view of the options. */
function slurmContext(options: Omit<StartupScriptOptions, "limit">): SlurmContext {
  const { arrayTaskId, instance } = options;
  return {
    ...(arrayTaskId !== undefined ? { arrayTaskId } : {}),
    ...(instance?.cpus !== undefined ? { instanceCpus: instance.cpus } : {}),
    ...(instance?.gpus !== undefined ? { instanceGpus: instance.gpus } : {}),
    ...(instance?.memoryMb !== undefined ? { instanceMemoryMb: instance.memoryMb } : {}),
  };
}

/**
 * Builds the startup script of `task` and checks it against `options.limit`.
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
  const parts = startupScriptSections(task, options);
  const sections = parts.map((s) => ({ name: s.name, ...measure(s.text) }));
  const text = joinSections(parts);
  const { bytes, chars } = measure(text);
  if (bytes <= limit && chars <= limit) {
    return { text, bytes, chars, limit, sections, diagnostics: [] };
  }
  return {
    text: undefined,
    bytes,
    chars,
    limit,
    sections,
    diagnostics: [overLimit(bytes, chars, limit, sections)],
  };
}

/** FCP001 with the sections largest first, so the user sees at once what to move out. */
function overLimit(
  bytes: number,
  chars: number,
  limit: number,
  sections: readonly SectionSize[],
): Diagnostic {
  const largest = [...sections].sort((a, b) => b.bytes - a.bytes);
  return diagnostic(
    "FCP001",
    `the startup script is ${size(bytes, chars)}, over the limit of ${count(limit)}; it is never truncated`,
    undefined,
    {
      notes: largest.map((s) => ({ message: `section ${s.name}: ${size(s.bytes, s.chars)}` })),
      suggestions: [
        {
          message:
            "move large env values or script text into the image or a volume (and read them from there), " +
            "or raise the limit with --script-limit",
        },
      ],
    },
  );
}

/** "1,234 bytes", or "1,300 bytes (1,234 characters)" when the two counts differ. */
function size(bytes: number, chars: number): string {
  return bytes === chars ? `${count(bytes)} bytes` : `${count(bytes)} bytes (${count(chars)} characters)`;
}

/** A count with thousands separators, independent of the machine's locale. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
