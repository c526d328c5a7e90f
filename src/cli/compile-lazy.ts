/**
 * The CLI's compile: the same pipeline, with the SLURM frontend imported only when a file is a
 * SLURM script — a `flow compile job.yaml` never loads the sbatch reader (cold start, DESIGN).
 */
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
