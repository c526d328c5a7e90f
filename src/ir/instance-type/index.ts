/**
 * The instance-type grammar: parse a spelling into a spec, print a spec in its one canonical form,
 * and explain rejected spellings with valid suggestions. Catalog-free: whether a type exists is the
 * backend catalog's question, not this module's.
 */
export type { FidSpec, GpuSocket, InstanceTypeSpec, NameSpec, ShorthandSpec } from "./ast.ts";
export { type ParseInstanceTypeResult, parseInstanceType } from "./parse.ts";
export { canonicalInstanceType, printInstanceType } from "./print.ts";
export type { InstanceTypeDiagnosis } from "./suggest.ts";
export {
  FID_PATTERN,
  GPU_MODEL_PATTERN,
  gpuModelOf,
  isGpuCount,
  isGpuModel,
  isMemoryGb,
  MAX_GPU_COUNT,
  MAX_MEMORY_GB,
} from "./tokens.ts";
