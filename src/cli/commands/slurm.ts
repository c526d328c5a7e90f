/**
 * `flow slurm convert | migrate | submit`: the SLURM migration commands. All compile with the one
 * pipeline (`compile(…, { format: "slurm" })`); they differ only in what they write.
 */
import { readdir, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { renderDiagnostics } from "../../diagnostics/render.ts";
import { toFlowYaml } from "../../frontends/slurm/convert.ts";
import { loadCatalogOption } from "../catalog-option.ts";
import { compileLazy } from "../compile-lazy.ts";
import { makeDirectory, readInput, writeOutput } from "../files.ts";
import { type CliIo, EXIT, UsageError, useColor } from "../io.ts";
import { migrateAll } from "../migrate/pool.ts";
import { buildReport, reportMarkdown } from "../migrate/report.ts";
import { type SlurmFlags, slurmOptions } from "../slurm-options.ts";
import { resultToJson } from "./compile.ts";

/** `flow slurm convert job.sbatch [-o job.yaml]`. */
export async function slurmConvertCommand(
  io: CliIo,
  file: string,
  flags: SlurmFlags & { output?: string; strict?: boolean },
): Promise<number> {
  const text = await readInput(io, file);
  const name = file === "-" ? "<stdin>" : file;
  const result = await compileLazy(text, {
    filename: name,
    format: "slurm",
    slurm: await slurmOptions(io, flags),
    ...(flags.strict ? { strict: true } : {}),
  });
  io.stderr(renderDiagnostics(result.source, result.diagnostics, { color: useColor(io) }));
  if (!result.ok || !result.ir) return EXIT.diagnostics;
  await writeOutput(io, flags.output ?? "-", toFlowYaml(result.ir, result.fates, name));
  return EXIT.ok;
}

/** `flow slurm submit job.sbatch --dry-run`: compile and print the bid(s) and script(s) as JSON. */
export async function slurmSubmitCommand(
  io: CliIo,
  file: string,
  flags: SlurmFlags & { dryRun?: boolean; strict?: boolean; catalog?: string; project?: string },
): Promise<number> {
  if (!flags.dryRun) {
    throw new UsageError(
      "live submission is not available yet: use --dry-run to see the bid(s) and startup script(s)",
    );
  }
  const text = await readInput(io, file);
  const project = flags.project ?? (io.env.FLOW_PROJECT || undefined);
  const result = await compileLazy(text, {
    filename: file === "-" ? "<stdin>" : file,
    format: "slurm",
    slurm: await slurmOptions(io, flags),
    catalog: await loadCatalogOption(io, flags.catalog),
    ...(flags.strict ? { strict: true } : {}),
    ...(project !== undefined ? { project } : {}),
  });
  io.stderr(renderDiagnostics(result.source, result.diagnostics, { color: useColor(io) }));
  if (!result.ok) return EXIT.diagnostics;
  io.stdout(`${JSON.stringify(resultToJson(result), null, 2)}\n`);
  return EXIT.ok;
}

const SCRIPT_EXTENSIONS = /\.(sbatch|slurm|sh|job|batch|bash)$/i;

/** Every batch script under `dir` (by extension, or by a `#SBATCH` line), sorted. */
async function findScripts(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== ".git" && e.name !== "node_modules") await walk(path);
      } else if (e.isFile()) {
        if (SCRIPT_EXTENSIONS.test(e.name)) out.push(path);
        else if (/^#SBATCH/m.test((await readFile(path, "utf8")).slice(0, 65536))) out.push(path);
      }
    }
  };
  await walk(dir);
  return out;
}

/** `flow slurm migrate <dir> --out <dir> [--jobs N]`. */
export async function slurmMigrateCommand(
  io: CliIo,
  dir: string,
  flags: SlurmFlags & { out: string; jobs?: string },
): Promise<number> {
  const root = resolve(io.cwd, dir);
  let paths: string[];
  try {
    paths = await findScripts(root);
  } catch (error) {
    throw new UsageError(
      `cannot read directory \`${dir}\`: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
  const jobs = flags.jobs === undefined ? availableParallelism() : Number(flags.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UsageError(`--jobs must be a positive whole number, not \`${flags.jobs}\``);
  const options = await slurmOptions(io, flags);
  const files = paths.map((path) => ({ file: relative(root, path), path }));
  await makeDirectory(io, flags.out);
  const results = await migrateAll({ files, options, outDir: resolve(io.cwd, flags.out) }, jobs);
  const report = buildReport(results);
  await writeOutput(io, join(flags.out, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  await writeOutput(io, join(flags.out, "report.md"), reportMarkdown(report));
  const t = report.totals;
  io.stdout(
    `${t.files} scripts: ${t.ok} ok, ${t.warnings} with warnings, ${t.errors} with errors; report in ${join(flags.out, "report.md")}\n`,
  );
  return t.errors > 0 ? EXIT.diagnostics : EXIT.ok;
}
