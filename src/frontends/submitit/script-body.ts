/**
 * The body analysis of a submitit `script`. The rendering writes the script into a quoted
 * here-document (render.ts), which the SLURM body analysis rightly never reads: it runs when srun
 * starts it, not as lines of the batch script. So the SLURM frontend's analysis
 * (`src/frontends/slurm/body/`) is run on the script's own text — `module load`, conda and venv
 * activation, nested `sbatch`, containers, `srun` options, SLURM_* variables get the diagnostics
 * they get in a batch script — and every span is moved from the decoded script string to the exact
 * characters of the JSON string literal that spell it (escapes included, `JsonStringMap`).
 *
 * What differs from a batch script, because of where submitit runs the script (options of the
 * analysis, so these diagnostics are never produced):
 * - under srun (the default) it is one of srun's tasks (`inSrunTask`): the variables the srun
 *   shim sets inside tasks (SLURM_STEP_ID …) are set, and "every node runs the batch script"
 *   (SPMD) is what srun is asked to do, so neither is reported;
 * - with `slurm_use_srun: false` the batch script runs it, and the SPMD warning is already given
 *   at the rendered line that starts it, so it is not repeated inside (`spmdWarning: false`).
 *
 * The literal's offset map is built only when a span has to be moved: a clean script costs one
 * analysis of its decoded text.
 */
import type { Diagnostic, Note, Suggestion } from "../../diagnostics/diagnostic.ts";
import { createSourceFile, type Span } from "../../source/source-file.ts";
import { analyzeBody, moduleMapEntry, providedModules } from "../slurm/body/index.ts";
import type { ModuleMap } from "../slurm/partition-map.ts";
import type { Command } from "./document.ts";
import { type JsonStringMap, type JsonStringMaps, jsonStringBody } from "./json-string.ts";

export interface ScriptContext {
  readonly moduleMap?: ModuleMap;
  /** Instances the job runs on. */
  readonly numNodes: number;
  /** Whether the task has an image of its own (`--image`, `cloud.image`). */
  readonly hasImage: boolean;
  /** Whether srun starts the script as the job's tasks (`slurm_use_srun` not false). */
  readonly underSrun: boolean;
}

export interface ScriptAnalysis {
  /** Diagnostics positioned in the JSON file. */
  readonly diagnostics: Diagnostic[];
  /** Whether the script starts srun steps itself. */
  readonly usesSrun: boolean;
  /**
   * When the script runs `module`/`ml`: the modules flow's `module` loads for it on the instance
   * (as `slurm.modules` of a batch script).
   */
  readonly modules: Record<string, string> | undefined;
  /** The image the module map gives the script's first mapped module, with its JSON span. */
  readonly moduleImage: { readonly name: string; readonly image: string; readonly span: Span } | undefined;
}

/**
 * Analyses the `script` of a submitit job; undefined when the command is not a script. `maps`
 * holds the document's text (and the literal's map, when another check built it).
 */
export function analyzeScript(
  maps: JsonStringMaps,
  command: Command | undefined,
  context: ScriptContext,
): ScriptAnalysis | undefined {
  if (command?.kind !== "script") return undefined;
  const literal = command.origin.value;
  // The decoded script (what readJson made of the literal, which the map decodes again).
  const script = command.text;
  // Built on the first span to move (`maps` keeps it).
  const mapOf = (): JsonStringMap | undefined => maps.of(literal);
  // readJson produced the literal, so the map always exists; were it not so, every span would
  // point at the string's start rather than at a wrong character.
  const move = (span: Span): Span => {
    const map = mapOf();
    return map ? map.span(span) : { start: literal.start, end: literal.start + 1 };
  };
  const body = analyzeBody(createSourceFile("script", script), 0, {
    ...(context.moduleMap ? { moduleMap: context.moduleMap } : {}),
    numNodes: context.numNodes,
    hasImage: context.hasImage,
    inSrunTask: context.underSrun,
    spmdWarning: false,
  });
  const diagnostics: Diagnostic[] = [];
  for (const d of body.diagnostics) {
    const span = d.span ? move(d.span) : undefined;
    diagnostics.push({
      ...d,
      ...(span ? { span } : {}),
      notes: d.notes.map((n): Note => (n.span ? { message: n.message, span: move(n.span) } : n)),
      suggestions: d.suggestions.map(
        (s): Suggestion => ({
          message: s.message,
          // A replacement of script text is written into the JSON string: escaped, and only
          // where the span moved exactly.
          ...(s.replacement !== undefined && mapOf() ? { replacement: jsonStringBody(s.replacement) } : {}),
          ...(s.span ? { span: move(s.span) } : {}),
        }),
      ),
    });
  }
  let moduleImage: ScriptAnalysis["moduleImage"];
  for (const m of body.facts.modules) {
    const image = moduleMapEntry(context.moduleMap, m.name)?.image;
    if (image !== undefined) {
      moduleImage = { name: m.name, image, span: move(m.span) };
      break;
    }
  }
  const modules = body.facts.usesModules ? providedModules(body.facts.modules, context.moduleMap) : undefined;
  return { diagnostics, usesSrun: body.facts.usesSrun, modules, moduleImage };
}
