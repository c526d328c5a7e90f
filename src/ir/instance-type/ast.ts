/**
 * The parsed form of an instance-type spelling. Every accepted spelling maps to exactly one of
 * these three shapes, and each shape has exactly one printed form (`print.ts`), so two spellings
 * mean the same thing exactly when their specs are deep-equal.
 */

/** The socket written in an API name; the catalog's `gpu_socket` carries the generation (`SXM4`). */
export type GpuSocket = "sxm" | "pcie";

/** `a100` (count 1), `4xa100`, `8xh100`: a GPU model and how many of them one instance has. */
export interface ShorthandSpec {
  readonly kind: "shorthand";
  readonly gpu: string;
  readonly count: number;
}

/** An API instance-type name: `a100-80gb.sxm.4x`, `h100-80gb.pcie.1x`, `b200-192gb.8x`. */
export interface NameSpec {
  readonly kind: "name";
  readonly gpu: string;
  readonly memoryGb: number;
  readonly socket?: GpuSocket;
  readonly count: number;
}

/** An instance-type FID such as `it_abc123456`; opaque, compared as is. */
export interface FidSpec {
  readonly kind: "fid";
  readonly fid: string;
}

/** Any accepted instance-type spelling, parsed. */
export type InstanceTypeSpec = ShorthandSpec | NameSpec | FidSpec;
