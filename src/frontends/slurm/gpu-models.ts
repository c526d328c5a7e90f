/**
 * GPU models a cluster script may ask for, and the cloud model each maps to. The FCP catalog sells
 * A100 and H100 nodes; every other model maps to the closest available one *upward* (at least the
 * memory and speed the script was written for), and the compiler says so (SBATCH025). The table is
 * documented in the README; a partition map can override the choice per partition.
 */

/** Models the cloud offers (lowercase model tokens of the instance-type grammar). */
export const CLOUD_GPU_MODELS: readonly string[] = ["a100", "h100"];

/** Cluster model → cloud model, with the reason shown to the user. */
export const GPU_MODEL_DEFAULTS: Readonly<Record<string, { model: string; why: string }>> = {
  v100: {
    model: "a100",
    why: "V100 (16/32 GB) → A100 80 GB, the smallest cloud GPU with at least its memory",
  },
  p100: { model: "a100", why: "P100 (16 GB) → A100 80 GB" },
  k80: { model: "a100", why: "K80 → A100 80 GB" },
  t4: { model: "a100", why: "T4 (16 GB) → A100 80 GB" },
  a10: { model: "a100", why: "A10 (24 GB) → A100 80 GB" },
  a10g: { model: "a100", why: "A10G (24 GB) → A100 80 GB" },
  a30: { model: "a100", why: "A30 (24 GB) → A100 80 GB" },
  a40: { model: "a100", why: "A40 (48 GB) → A100 80 GB" },
  a5000: { model: "a100", why: "RTX A5000 (24 GB) → A100 80 GB" },
  a6000: { model: "a100", why: "RTX A6000 (48 GB) → A100 80 GB" },
  rtx6000: { model: "a100", why: "RTX 6000 (24 GB) → A100 80 GB" },
  rtx8000: { model: "a100", why: "Quadro RTX 8000 (48 GB) → A100 80 GB" },
  rtx2080: { model: "a100", why: "RTX 2080 → A100 80 GB" },
  rtx2080ti: { model: "a100", why: "RTX 2080 Ti → A100 80 GB" },
  rtx3090: { model: "a100", why: "RTX 3090 (24 GB) → A100 80 GB" },
  rtx4090: { model: "a100", why: "RTX 4090 (24 GB) → A100 80 GB" },
  titanrtx: { model: "a100", why: "Titan RTX → A100 80 GB" },
  l4: { model: "a100", why: "L4 (24 GB) → A100 80 GB" },
  l40: { model: "a100", why: "L40 (48 GB) → A100 80 GB" },
  l40s: { model: "a100", why: "L40S (48 GB) → A100 80 GB" },
  h200: {
    model: "h100",
    why: "H200 (141 GB) → H100 80 GB, the largest cloud GPU (less memory: check your batch size)",
  },
  gh200: { model: "h100", why: "GH200 → H100 80 GB (less memory: check your batch size)" },
  b200: { model: "h100", why: "B200 → H100 80 GB (less memory and speed)" },
  mi250: { model: "a100", why: "AMD MI250 → A100 80 GB (CUDA, not ROCm: the image must change)" },
  mi300x: { model: "h100", why: "AMD MI300X → H100 80 GB (CUDA, not ROCm: the image must change)" },
};

/** Normalises a gres/gpus type or feature (`A100`, `a100-80gb`, `nvidia_a100`, `tesla_v100`) to a model token. */
export function normalizeGpuModel(type: string): string {
  return type
    .toLowerCase()
    .replace(/^(nvidia|tesla|gpu|geforce|quadro)[-_]?/g, "")
    .replace(/^(nvidia|tesla)[-_]?/g, "")
    .replace(/[-_](\d+g|\d+gb|sxm\d?|pcie|nvlink)$/g, "")
    .replace(/[-_]/g, "");
}

/** The cloud model for a cluster model: itself when offered, else the table's choice, else undefined. */
export function cloudGpuModel(type: string): { model: string; mapped?: string } | undefined {
  const token = normalizeGpuModel(type);
  if (CLOUD_GPU_MODELS.includes(token)) return { model: token };
  const entry = GPU_MODEL_DEFAULTS[token];
  return entry ? { model: entry.model, mapped: entry.why } : undefined;
}

/** GPU counts per node the catalog sells; others round up to the next one (with a note). */
export const NODE_GPU_COUNTS: readonly number[] = [1, 2, 4, 8];
