/**
 * `flow submitit submit | render`: submitit parameter documents (spec/submitit.md §7). `submit`
 * compiles with the one pipeline (`format: "submitit"`); `render` prints the sbatch file submitit
 * itself would write for the document — the text the compile interprets.
 */
import { renderDiagnostics } from "../../diagnostics/render.ts";
import { lowerSubmitit } from "../../frontends/submitit/lower.ts";
import { createSourceFile } from "../../source/source-file.ts";
import { readInput, writeOutput } from "../files.ts";
import { type CliIo, EXIT, useColor } from "../io.ts";
import { type SubmitCommandFlags, submitCommand } from "./submit.ts";

/**
 * `flow submitit submit params.json`: compile and place the bid(s) (submit-live.ts); with
 * `--dry-run`, print the bid(s) and script(s) as JSON instead.
 */
export function submititSubmitCommand(io: CliIo, file: string, flags: SubmitCommandFlags): Promise<number> {
  return submitCommand(io, file, flags, "submitit");
}

/** `flow submitit render params.json [-o job.sbatch]`: the sbatch file submitit would write. */
export async function submititRenderCommand(
  io: CliIo,
  file: string,
  flags: { output?: string },
): Promise<number> {
  const text = await readInput(io, file);
  const source = createSourceFile(file === "-" ? "<stdin>" : file, text);
  const result = lowerSubmitit(source, { set: {}, env: {} });
  // Only the document's own problems matter here: the rendering is what submitit writes.
  const own = result.diagnostics.filter((d) => d.code.startsWith("SUBMITIT") && d.severity === "error");
  io.stderr(renderDiagnostics(source, own, { color: useColor(io) }));
  if (result.sbatch === undefined) return EXIT.diagnostics;
  await writeOutput(io, flags.output ?? "-", result.sbatch);
  return EXIT.ok;
}
