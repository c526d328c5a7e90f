/**
 * GPU models a cluster script may ask for, and the cloud model each maps to. The FCP catalog sells
 * A100 and H100 nodes; every other model maps to the closest available one *upward* (at least the
 * memory and speed the script was written for), and the compiler says so (SBATCH025). The table is
 * documented in the README; a partition map can override the choice per partition.
 */

import { gpuModelOf } from "./values/constraint.ts";

/** Models the cloud offers (lowercase model tokens of the instance-type grammar). */
export const CLOUD_GPU_MODELS: readonly string[] = ["a100", "h100"];

/** Cluster model → cloud model, with the reason shown to the user; covers every model of `GPU_MODELS`. */
const GPU_MODEL_DEFAULTS: Readonly<Record<string, { model: string; why: string }>> = {
  // NVIDIA data-center and workstation GPUs below an A100 80 GB → A100 80 GB
  v100: {
    model: "a100",
    why: "V100 (16/32 GB) → A100 80 GB, the smallest cloud GPU with at least its memory",
  },
  p100: { model: "a100", why: "P100 (16 GB) → A100 80 GB" },
  p40: { model: "a100", why: "P40 (24 GB) → A100 80 GB" },
  p4: { model: "a100", why: "P4 (8 GB) → A100 80 GB" },
  k80: { model: "a100", why: "K80 → A100 80 GB" },
  k40: { model: "a100", why: "K40 → A100 80 GB" },
  m60: { model: "a100", why: "M60 → A100 80 GB" },
  m40: { model: "a100", why: "M40 → A100 80 GB" },
  t4: { model: "a100", why: "T4 (16 GB) → A100 80 GB" },
  a2: { model: "a100", why: "A2 (16 GB) → A100 80 GB" },
  a10: { model: "a100", why: "A10 (24 GB) → A100 80 GB" },
  a10g: { model: "a100", why: "A10G (24 GB) → A100 80 GB" },
  a30: { model: "a100", why: "A30 (24 GB) → A100 80 GB" },
  a40: { model: "a100", why: "A40 (48 GB) → A100 80 GB" },
  a800: { model: "a100", why: "A800 (80 GB) → A100 80 GB" },
  a4000: { model: "a100", why: "RTX A4000 (16 GB) → A100 80 GB" },
  a4500: { model: "a100", why: "RTX A4500 (20 GB) → A100 80 GB" },
  a5000: { model: "a100", why: "RTX A5000 (24 GB) → A100 80 GB" },
  a6000: { model: "a100", why: "RTX A6000 (48 GB) → A100 80 GB" },
  rtx5000: { model: "a100", why: "Quadro RTX 5000 (16 GB) → A100 80 GB" },
  rtx6000: { model: "a100", why: "RTX 6000 (24 GB) → A100 80 GB" },
  rtx8000: { model: "a100", why: "Quadro RTX 8000 (48 GB) → A100 80 GB" },
  gtx1080: { model: "a100", why: "GTX 1080 → A100 80 GB" },
  gtx1080ti: { model: "a100", why: "GTX 1080 Ti → A100 80 GB" },
  rtx2080: { model: "a100", why: "RTX 2080 → A100 80 GB" },
  rtx2080ti: { model: "a100", why: "RTX 2080 Ti → A100 80 GB" },
  rtx3080: { model: "a100", why: "RTX 3080 (10/12 GB) → A100 80 GB" },
  rtx3090: { model: "a100", why: "RTX 3090 (24 GB) → A100 80 GB" },
  rtx4080: { model: "a100", why: "RTX 4080 (16 GB) → A100 80 GB" },
  rtx4090: { model: "a100", why: "RTX 4090 (24 GB) → A100 80 GB" },
  titanv: { model: "a100", why: "Titan V → A100 80 GB" },
  titanx: { model: "a100", why: "Titan X → A100 80 GB" },
  titanrtx: { model: "a100", why: "Titan RTX → A100 80 GB" },
  l4: { model: "a100", why: "L4 (24 GB) → A100 80 GB" },
  l40: { model: "a100", why: "L40 (48 GB) → A100 80 GB" },
  l40s: { model: "a100", why: "L40S (48 GB) → A100 80 GB" },
  // larger or newer than an A100 → H100 80 GB, the largest cloud GPU
  h800: { model: "h100", why: "H800 (80 GB) → H100 80 GB" },
  h200: {
    model: "h100",
    why: "H200 (141 GB) → H100 80 GB, the largest cloud GPU (less memory: check your batch size)",
  },
  gh200: { model: "h100", why: "GH200 → H100 80 GB (less memory: check your batch size)" },
  b100: { model: "h100", why: "B100 → H100 80 GB (less memory and speed)" },
  b200: { model: "h100", why: "B200 → H100 80 GB (less memory and speed)" },
  gb200: { model: "h100", why: "GB200 → H100 80 GB (less memory and speed)" },
  // AMD: CUDA images will not run unchanged
  mi50: { model: "a100", why: "AMD MI50 → A100 80 GB (CUDA, not ROCm: the image must change)" },
  mi100: { model: "a100", why: "AMD MI100 → A100 80 GB (CUDA, not ROCm: the image must change)" },
  mi210: { model: "a100", why: "AMD MI210 → A100 80 GB (CUDA, not ROCm: the image must change)" },
  mi250: { model: "a100", why: "AMD MI250 → A100 80 GB (CUDA, not ROCm: the image must change)" },
  mi250x: { model: "a100", why: "AMD MI250X → A100 80 GB (CUDA, not ROCm: the image must change)" },
  mi300x: { model: "h100", why: "AMD MI300X → H100 80 GB (CUDA, not ROCm: the image must change)" },
};

/**
 * The cloud model for a cluster GPU type or feature (`a100`, `tesla_v100`, `rtx_3080`,
 * `a100-80gb`), read with the one model vocabulary (`gpuModelOf`): itself when the cloud offers it,
 * else the table's choice; undefined when it names no known model.
 */
export function cloudGpuModel(type: string): { model: string; mapped?: string } | undefined {
  const token = gpuModelOf(type)?.model;
  if (token === undefined) return undefined;
  if (CLOUD_GPU_MODELS.includes(token)) return { model: token };
  const entry = GPU_MODEL_DEFAULTS[token];
  return entry ? { model: entry.model, mapped: entry.why } : undefined;
}

/** GPU counts per node the catalog sells; others round up to the next one (with a note). */
export const NODE_GPU_COUNTS: readonly number[] = [1, 2, 4, 8];
