/**
 * The batch-script body analysis: what the body of an sbatch script will do on an FCP instance
 * under the SLURM emulation, as facts for the lowering and SBATCH030–SBATCH035 diagnostics.
 */
export { analyzeBody, type BodyAnalysisOptions, type BodyFacts } from "./analyze.ts";
export { moduleMapEntry, providedModules } from "./modules.ts";
export { EMULATED_SLURM_VARIABLES, SRUN_TASK_VARIABLES } from "./slurm-variables.ts";
