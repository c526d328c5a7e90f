/**
 * Environment modules (`module load`, `module add`, Lmod's `ml`, `module purge`…): the instance
 * has no module system. flow's own `module`/`ml` answer there (the slurm section): a module the
 * module map knows loads by running its setup step (an image mapped to it is the task's image),
 * any other fails to load (status 1, fatal under `set -e`), and every other subcommand (`purge`,
 * `list`, `use`…) does nothing. Loads of unknown modules are warnings with a map entry to write;
 * mapped loads and the subcommands that do nothing are information; two modules asking for
 * different images cannot both be honoured, since a task runs in one image.
 */
import { diagnostic } from "../../../diagnostics/diagnostic.ts";
import type { Span } from "../../../source/source-file.ts";
import { type BodyContext, code, commandText, isOption, wordSpan } from "./context.ts";
import type { ShellCommand } from "./scan.ts";

/** `module` subcommands that load modules. */
const LOAD_SUBCOMMANDS = new Set(["load", "add", "try-load", "try-add", "load-any"]);
/** Those that go on when a module is missing (as flow's `module` does). */
const TRY_SUBCOMMANDS = new Set(["try-load", "try-add", "load-any"]);
/** `ml` words that are subcommands rather than module names. */
export const ML_SUBCOMMANDS = new Set([
  "load",
  "add",
  "try-load",
  "try-add",
  "load-any",
  "unload",
  "rm",
  "del",
  "purge",
  "list",
  "avail",
  "av",
  "spider",
  "show",
  "display",
  "help",
  "whatis",
  "keyword",
  "save",
  "restore",
  "savelist",
  "describe",
  "use",
  "unuse",
  "swap",
  "switch",
  "reset",
  "refresh",
  "update",
  "is-loaded",
  "is-avail",
  "overview",
  "mt",
  "table",
]);

type ModuleMapEntry = { image?: string; setup?: string };

/**
 * The module map's entry for `name`: exact, else for its family (`cuda` for `cuda/12.1`). The one
 * lookup of the analysis and of the lowerings that act on it (image, the instance's `module`).
 */
export function moduleMapEntry(
  map: Readonly<Record<string, ModuleMapEntry>> | undefined,
  name: string,
): ModuleMapEntry | undefined {
  if (!map) return undefined;
  if (Object.hasOwn(map, name)) return map[name];
  const slash = name.indexOf("/");
  if (slash > 0) {
    const family = name.slice(0, slash);
    if (Object.hasOwn(map, family)) return map[family];
  }
  return undefined;
}

/**
 * The modules flow's `module` loads on the instance: each module the script loads that the map
 * knows (by name or family), with its setup step ("" when the map gives only an image).
 */
export function providedModules(
  loaded: readonly { readonly name: string }[],
  map: Readonly<Record<string, ModuleMapEntry>> | undefined,
): Record<string, string> {
  const provided: Record<string, string> = {};
  for (const { name } of loaded) {
    const entry = moduleMapEntry(map, name);
    if (entry) provided[name] = entry.setup ?? "";
  }
  return provided;
}

const CUDA_VERSION = /^\d+\.\d+(\.\d+)?$/;
const PYTHON3_VERSION = /^3\.\d+/;
const CONDA_FAMILY = /^(ana|mini)?conda\d*$|^miniforge\d*$|^mamba$/;

/** A module-map entry that would stand in for `name`, as an example for the suggestion. */
function exampleEntry(name: string): string {
  const [family = "", version = ""] = name.split("/");
  const lower = family.toLowerCase();
  const parts = version.split(".");
  if (lower === "cuda" && CUDA_VERSION.test(version)) {
    const tag = parts.length === 2 ? `${version}.0` : version;
    return `{"${name}": {"image": "nvidia/cuda:${tag}-devel-ubuntu22.04"}}`;
  }
  if (lower === "python" && PYTHON3_VERSION.test(version)) {
    return `{"${name}": {"image": "python:${parts.slice(0, 2).join(".")}"}}`;
  }
  if (CONDA_FAMILY.test(lower)) {
    return `{"${name}": {"image": "continuumio/miniconda3"}}`;
  }
  return `{"${name}": {"setup": "<commands that install it>"}} or {"${name}": {"image": "<an image that has it>"}}`;
}

/** What the module map puts in place of one module. */
function describeEntry(entry: ModuleMapEntry): string {
  const parts: string[] = [];
  if (entry.image !== undefined) parts.push(`the image ${code(entry.image)}`);
  if (entry.setup !== undefined) parts.push(`the setup step ${code(entry.setup)}`);
  return parts.length === 0 ? "nothing (the map entry is empty)" : parts.join(" and ");
}

/** Reports `module …` / `ml …` (named `name`) at word `i`. */
export function checkModuleCommand(ctx: BodyContext, cmd: ShellCommand, i: number, name: string): void {
  ctx.facts.usesModules = true;
  const isMl = name === "ml";
  let j = i + 1;
  while (j < cmd.count && !isMl && isOption(cmd, j)) j++;
  const sub = j < cmd.count ? cmd.value(j) : undefined;
  const loads: number[] = [];
  if (isMl && (sub === undefined || !ML_SUBCOMMANDS.has(sub))) {
    for (let k = j; k < cmd.count; k++) if (!isOption(cmd, k)) loads.push(k);
    if (loads.length === 0) {
      reportOther(ctx, cmd, i, sub === undefined ? "list" : sub);
      return;
    }
  } else if (sub !== undefined && LOAD_SUBCOMMANDS.has(sub)) {
    for (let k = j + 1; k < cmd.count; k++) if (!isOption(cmd, k)) loads.push(k);
    if (TRY_SUBCOMMANDS.has(sub)) {
      reportLoads(ctx, cmd, i, loads, true);
      return;
    }
  } else if ((sub === "swap" || sub === "switch") && j + 1 < cmd.count) {
    loads.push(cmd.count - 1);
  } else {
    reportOther(ctx, cmd, i, sub ?? "");
    return;
  }
  reportLoads(ctx, cmd, i, loads);
}

/** A subcommand that loads nothing: flow's `module` accepts it and does nothing. */
function reportOther(ctx: BodyContext, cmd: ShellCommand, i: number, sub: string): void {
  const shown = commandText(cmd, i);
  ctx.diagnostics.push(
    diagnostic(
      "SBATCH030",
      `no environment modules on the instance: ${code(shown)} does nothing there (flow's \`module\` accepts ${sub === "" ? "it" : `\`${sub}\``})`,
      wordSpan(cmd, i),
      {
        severity: "info",
        suggestions: [{ message: "delete the line, unless the script must still run on the cluster" }],
      },
    ),
  );
}

function reportLoads(
  ctx: BodyContext,
  cmd: ShellCommand,
  i: number,
  loads: readonly number[],
  tryOnly = false,
): void {
  const verb = commandText(cmd, i, loads[0] ?? cmd.count);
  const unmapped: string[] = [];
  const mapped: string[] = [];
  for (const k of loads) {
    const name = cmd.value(k);
    const span: Span = wordSpan(cmd, k);
    ctx.facts.modules.push({ name, span });
    const entry = moduleMapEntry(ctx.options.moduleMap, name);
    if (!entry) {
      unmapped.push(cmd.text.slice(span.start, span.end));
      continue;
    }
    mapped.push(`${code(name)} by ${describeEntry(entry)}`);
    if (entry.image !== undefined) checkImage(ctx, name, entry.image, span);
  }
  if (unmapped.length > 0) {
    const first = unmapped[0]!;
    const image = ctx.options.hasImage
      ? "or make sure the task's image provides what it set up, and delete the line"
      : "or give the task an image that already provides it, and delete the line";
    const shown = code(`${verb} ${unmapped.join(" ")}`);
    ctx.diagnostics.push(
      diagnostic(
        "SBATCH030",
        tryOnly
          ? `no environment modules on the instance: ${shown} loads nothing there (and goes on, as it does for a missing module)`
          : `no environment modules on the instance: ${shown} will fail`,
        wordSpan(cmd, i),
        {
          ...(tryOnly ? { severity: "info" as const } : { notes: ctx.failureNotes() }),
          suggestions: [
            { message: `map it in a module map (\`--module-map file\`), e.g. ${exampleEntry(first)}` },
            { message: image },
          ],
        },
      ),
    );
  }
  if (mapped.length > 0) {
    ctx.diagnostics.push(
      diagnostic("SBATCH030", `the module map replaces ${mapped.join("; ")}`, wordSpan(cmd, i), {
        severity: "info",
      }),
    );
  }
}

function checkImage(ctx: BodyContext, name: string, image: string, span: Span): void {
  if (ctx.options.hasImage) {
    ctx.diagnostics.push(
      diagnostic(
        "SBATCH030",
        `the module map gives ${code(name)} the image ${code(image)}, but the task already has an image: a task runs in one image`,
        span,
        {
          suggestions: [
            { message: `map ${code(name)} to a setup step instead, or drop the task's own image` },
          ],
        },
      ),
    );
    return;
  }
  const earlier = ctx.chooseImage(image, `module ${code(name)}`, span);
  if (!earlier) return;
  ctx.diagnostics.push(
    diagnostic(
      "SBATCH030",
      `conflicting images: the module map gives ${code(name)} the image ${code(image)}, but ${earlier.what} already chose ${code(earlier.image)}; a task runs in one image`,
      span,
      {
        notes: [{ message: `${earlier.what} chose ${code(earlier.image)} here`, span: earlier.span }],
        suggestions: [{ message: "map one of the modules to a setup step, or to the same image" }],
      },
    ),
  );
}
