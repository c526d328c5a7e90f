/**
 * `flow slurm convert | migrate | submit`: the SLURM migration commands. All compile with the one
 * pipeline (`compile(…, { format: "slurm" })`); they differ only in what they write.
 */
import { open, readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { renderDiagnostics } from "../../diagnostics/render.ts";
import { toFlowYaml } from "../../frontends/slurm/convert.ts";
import { compileLazy } from "../compile-lazy.ts";
import { makeDirectory, readInput, writeOutput } from "../files.ts";
import { type CliIo, EXIT, UsageError, useColor } from "../io.ts";
import { migrateAll } from "../migrate/pool.ts";
import { buildReport, reportMarkdown } from "../migrate/report.ts";
import { type SlurmFlags, slurmOptions } from "../slurm-options.ts";
import { type SubmitCommandFlags, submitCommand } from "./submit.ts";

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

/**
 * `flow slurm submit job.sbatch`: compile and place the bid(s) (submit-live.ts); with `--dry-run`,
 * print the bid(s) and script(s) as JSON instead.
 */
export function slurmSubmitCommand(io: CliIo, file: string, flags: SubmitCommandFlags): Promise<number> {
  return submitCommand(io, file, flags, "slurm");
}

const SCRIPT_EXTENSIONS = /\.(sbatch|slurm|sh|job|batch|bash)$/i;
/** How much of a file without a script extension is read to look for a `#SBATCH` line. */
const SNIFF_BYTES = 65536;

/** Whether the first 64 KiB of a file hold a `#SBATCH` line (never reads the whole file). */
async function hasDirective(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return /^#SBATCH/m.test(buffer.toString("utf8", 0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Every batch script under `dir` (by extension, or by a `#SBATCH` line near the top), sorted;
 * symbolic links are followed (a broken one is kept, so the report names it as unreadable), and
 * the output folder is skipped when it lies inside the tree.
 */
async function findScripts(dir: string, skip: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(d, e.name);
      if (path === skip) continue;
      let kind: "dir" | "file" | "broken" | "other" = e.isDirectory() ? "dir" : e.isFile() ? "file" : "other";
      if (e.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        kind =
          target === undefined
            ? "broken"
            : target.isDirectory()
              ? "other"
              : target.isFile()
                ? "file"
                : "other";
      }
      if (kind === "dir") {
        if (e.name !== ".git" && e.name !== "node_modules") await walk(path);
      } else if (kind === "broken") {
        if (SCRIPT_EXTENSIONS.test(e.name)) out.push(path);
      } else if (kind === "file") {
        if (SCRIPT_EXTENSIONS.test(e.name) || (await hasDirective(path).catch(() => true))) out.push(path);
      }
    }
  };
  await walk(dir);
  return out;
}

/**
 * The YAML path of each script, relative to the output folder: `a/job.sbatch` → `a/job.yaml`;
 * when two scripts would share one (`job.sbatch` and `job.sh`), both keep their full name
 * (`job.sbatch.yaml`, `job.sh.yaml`) — one never overwrites the other.
 */
function yamlTargets(files: readonly string[]): string[] {
  const short = files.map((f) => `${f.replace(/\.[^./]*$/, "")}.yaml`);
  const count = new Map<string, number>();
  for (const t of short) count.set(t, (count.get(t) ?? 0) + 1);
  return files.map((f, i) => ((count.get(short[i]!) ?? 0) > 1 ? `${f}.yaml` : short[i]!));
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
    paths = await findScripts(root, resolve(io.cwd, flags.out));
  } catch (error) {
    throw new UsageError(
      `cannot read directory \`${dir}\`: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
  const jobs =
    flags.jobs === undefined
      ? availableParallelism()
      : /^[1-9]\d{0,5}$/.test(flags.jobs)
        ? Number(flags.jobs)
        : 0;
  if (jobs < 1) throw new UsageError(`--jobs must be a positive whole number, not \`${flags.jobs}\``);
  const options = await slurmOptions(io, flags);
  const relativePaths = paths.map((path) => relative(root, path));
  const targets = yamlTargets(relativePaths);
  const files = paths.map((path, i) => ({ file: relativePaths[i]!, path, target: targets[i]! }));
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
