/**
 * `flow slurm submit` and `flow submitit submit`: compile a batch script or a submitit document and
 * place its bid(s) (submit-live.ts, loaded only then); with `--dry-run`, print the bid(s) and
 * startup script(s) as JSON instead — the project packed for `upload_code` as `flow compile` does.
 */
import { redactText, renderDiagnostics } from "../../diagnostics/render.ts";
import { loadCatalogOption } from "../catalog-option.ts";
import { compileWithCode } from "../compile-lazy.ts";
import { readInput } from "../files.ts";
import { type CliIo, EXIT, useColor } from "../io.ts";
import { type SlurmFlags, slurmOptions } from "../slurm-options.ts";
import { codeRoot, parseScriptLimit, resultToJson } from "./compile.ts";
import { configSecrets, readConfig } from "./remote.ts";
import type { SubmitFlags } from "./submit-live.ts";

export type SubmitCommandFlags = SlurmFlags &
  SubmitFlags & { dryRun?: boolean; strict?: boolean; catalog?: string; project?: string };

/** Runs a submit command for `format`; returns the exit code. */
export async function submitCommand(
  io: CliIo,
  file: string,
  flags: SubmitCommandFlags,
  format: "slurm" | "submitit",
): Promise<number> {
  const text = await readInput(io, file);
  const filename = file === "-" ? "<stdin>" : file;
  if (!flags.dryRun) {
    const { submitLive } = await import("./submit-live.ts");
    return submitLive(
      io,
      { text, filename, options: { format, slurm: await slurmOptions(io, flags) } },
      flags,
    );
  }
  const scriptLimit = parseScriptLimit(flags.scriptLimit);
  // The project as a live submission finds it: --project > FLOW_PROJECT > ./.flow > ~/.flow.
  // Read once: its key is what the packed project and the output must not hold.
  const config = await readConfig(io, flags);
  const { project } = config;
  const root = await codeRoot(io, flags.codeDir, configSecrets(io.env, config));
  const result = await compileWithCode(
    text,
    {
      filename,
      format,
      slurm: await slurmOptions(io, flags),
      catalog: await loadCatalogOption(io, flags.catalog),
      ...(flags.strict ? { strict: true } : {}),
      ...(project !== undefined ? { project } : {}),
      ...(scriptLimit !== undefined ? { scriptLimit } : {}),
    },
    root,
  );
  io.stderr(
    renderDiagnostics(result.source, result.diagnostics, { color: useColor(io), redact: root.secrets }),
  );
  if (!result.ok) return EXIT.diagnostics;
  io.stdout(redactText(`${JSON.stringify(resultToJson(result), null, 2)}\n`, root.secrets));
  return EXIT.ok;
}
