/**
 * The lexical rules of the instance-type grammar (`grammars/instance-type.ebnf`), shared by the
 * parser, the repair suggestions and the catalog. A GPU model token is letters, then digits, then
 * optional letters (`a100`, `l40s`, `rtx8000`, `mi300x`): that shape is what makes `a100x8` a
 * count written on the wrong side rather than a model named "a100x8".
 */

/** A GPU model token, anchored. */
export const GPU_MODEL_PATTERN = /^[a-z]+[0-9]+[a-z]*$/;

/** An instance-type FID, anchored: `it_` then one or more ASCII letters and digits (any length). */
export const FID_PATTERN = /^it_[A-Za-z0-9]+$/;

/** The most GPUs one instance has; counts are 1 to this. */
export const MAX_GPU_COUNT = 8;

/** The largest per-GPU memory a name may state, in GB (names write 1 to 4 digits). */
export const MAX_MEMORY_GB = 9999;

/** Whether `token` is a GPU model token (`a100`, `h100`, `l40s`, …). */
export function isGpuModel(token: string): boolean {
  return GPU_MODEL_PATTERN.test(token);
}

/** Whether `count` is a GPU count the grammar accepts. */
export function isGpuCount(count: number): boolean {
  return Number.isInteger(count) && count >= 1 && count <= MAX_GPU_COUNT;
}

/** Whether `memoryGb` is a per-GPU memory size the grammar accepts. */
export function isMemoryGb(memoryGb: number): boolean {
  return Number.isInteger(memoryGb) && memoryGb >= 1 && memoryGb <= MAX_MEMORY_GB;
}

/**
 * The model token inside a catalog `gpu_type` such as `"A100"`, `"NVIDIA A100"` or
 * `"NVIDIA H100 80GB HBM3"`: the first word that is a model token once lowercased. Undefined when no
 * word is one.
 */
export function gpuModelOf(gpuType: string): string | undefined {
  return gpuType
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .find((word) => isGpuModel(word));
}
