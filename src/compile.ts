/**
 * `compile`: the whole pipeline with every frontend (Flow YAML, SLURM, submitit). The library's
 * entry point; see pipeline.ts for what it guarantees.
 */
import { lowerSlurm } from "./frontends/slurm/lower.ts";
import { lowerSubmitit } from "./frontends/submitit/lower.ts";
import { lowerYaml } from "./frontends/yaml/lower.ts";
import { type CompileOptions, type CompileResult, compileWith, type Frontends } from "./pipeline.ts";

export type { CompileOptions, CompileResult, Frontend, Frontends } from "./pipeline.ts";

/** Every frontend flow has. */
export const ALL_FRONTENDS: Frontends = {
  yaml: (file) => lowerYaml(file),
  slurm: (file, options) => lowerSlurm(file, options.slurm ?? {}),
  submitit: (file, options) => lowerSubmitit(file, options.slurm ?? {}),
};

/**
 * Compiles one job description into the IR, bid request(s) and startup script(s). Never throws:
 * bad input text and bad options alike end in diagnostics.
 */
export function compile(text: string, options: CompileOptions = {}): CompileResult {
  return compileWith(ALL_FRONTENDS, text, options);
}
