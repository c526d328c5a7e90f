/**
 * The CLI's compile: the same pipeline, with the SLURM frontend imported only when a file is a
 * SLURM script — a `flow compile job.yaml` never loads the sbatch reader (cold start, DESIGN).
 */
import type { CodeArchive } from "../backends/fcp/code/archive.ts";
import { detectFormat } from "../frontends/detect.ts";
import { lowerYaml } from "../frontends/yaml/lower.ts";
import { type CompileOptions, type CompileResult, compileWith, type Frontends } from "../pipeline.ts";

/** Compiles like `compile`, loading frontends on demand. */
export async function compileLazy(text: string, options: CompileOptions): Promise<CompileResult> {
  const format = options.format ?? detectFormat(options.filename ?? "<input>", text).format;
  let frontends: Frontends = { yaml: (file) => lowerYaml(file) };
  if (format === "slurm") {
    const { lowerSlurm } = await import("../frontends/slurm/lower.ts");
    frontends = { ...frontends, slurm: (file, o) => lowerSlurm(file, o.slurm ?? {}) };
  }
  if (format === "submitit") {
    const { lowerSubmitit } = await import("../frontends/submitit/lower.ts");
    frontends = { ...frontends, submitit: (file, o) => lowerSubmitit(file, o.slurm ?? {}) };
  }
  // Detection ran once here; a failed detection is left to the pipeline to report (FLOW001).
  return compileWith(frontends, text, format !== undefined ? { ...options, format } : options);
}

/** Where `upload_code` finds the project: a folder, and secrets no packed file may contain. */
export interface CodeRoot {
  readonly dir: string;
  readonly secrets: readonly string[];
}

/**
 * Compiles like `compileLazy`; a task that uploads code (FCP013: no project given) is compiled
 * again with `root` packed. The packer is loaded only then, so other compiles never pay for it.
 */
export async function compileWithCode(
  text: string,
  options: CompileOptions,
  root: CodeRoot,
): Promise<CompileResult> {
  return (await compileWithCodeArchive(text, options, root)).result;
}

/**
 * `compileWithCode`, also handing back the archive it packed (live submission uploads it by SSH
 * when it is too large for the script). The one way the CLI packs a project: the same secrets
 * are refused in packed files (FCP009) and in the task (FCP018).
 */
export async function compileWithCodeArchive(
  text: string,
  options: CompileOptions,
  root: CodeRoot,
): Promise<{ readonly result: CompileResult; readonly archive?: CodeArchive }> {
  const withSecrets = root.secrets.length > 0 ? { ...options, secrets: root.secrets } : options;
  const result = await compileLazy(text, withSecrets);
  if (!result.diagnostics.some((d) => d.code === "FCP013")) return { result };
  const { buildCodeArchive } = await import("../backends/fcp/code/archive.ts");
  let archive: CodeArchive | undefined;
  const packed = await compileLazy(text, {
    ...withSecrets,
    code: () => {
      archive ??= buildCodeArchive(root.dir, { secrets: [...root.secrets] });
      return archive;
    },
  });
  return archive === undefined ? { result: packed } : { result: packed, archive };
}
