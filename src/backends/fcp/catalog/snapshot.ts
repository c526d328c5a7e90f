/**
 * The built-in catalog: the 2025-07 instance-type FIDs of fcp-api.md §7.2 (seeds "as of
 * 2025-07-02", FLOW2 constants "verified 2025-07-20"), with regions and last prices from the §7.3
 * samples. This is the only file of the compiler that contains instance-type FIDs; everything else
 * resolves through a `Catalog`, so a file (`--catalog`) or the live API can replace this data.
 *
 * Provenance is written on every entry. "Inferred" marks a value the evidence implies but no record
 * states: CPU and RAM of the 1×/4×/8× A100 types come from the legacy V1 entries of the same shape
 * (§7.2 †); H100 figures come from the DOCS-MIT example record (§7.2 ‡); local storage of A100 types
 * without a record is scaled from the one full 2× record (3500 GB per 2 GPUs), as §12.3 #14 asks
 * the emulator to do. `gpu_type` is the model token ("A100", not the seed's "NVIDIA A100"), §11 #15.
 *
 * Left out on purpose: the 2025-12 FID set and B200 types (a later generation, §11 #14), and the
 * uncorroborated `a10`/`v100` FIDs of one FLOW2 provider map (§7.2 says do not use).
 */
import type { Catalog, CatalogEntry } from "./catalog.ts";

/** The `source` of the built-in catalog, as messages and `flow instance-types` show it. */
const SNAPSHOT_SOURCE = "built-in snapshot (2025-07)";

const A100_CPU = "Intel(R) Xeon(R) Platinum 8468";

const ENTRIES: readonly CatalogEntry[] = [
  // SEED-002/003, FLOW2 constants and tests. Inferred: num_cpus, ram_gb (V1 `a100.1x.SXM4.IB`: 24/225),
  // cpu_type (the 2× record), local_storage_gb (scaled), network_type (the V1 `.IB` suffix).
  // Region and price: V1 catalog, a100 1x in eu-central1-a at $0.63 (§7.3; §12.3 #14).
  {
    fid: "it_MsIRhxj3ccyVWGfP",
    name: "a100-80gb.sxm.1x",
    num_cpus: 24,
    cpu_type: A100_CPU,
    ram_gb: 225,
    num_gpus: 1,
    gpu_type: "A100",
    gpu_memory_gb: 80,
    gpu_socket: "SXM4",
    local_storage_gb: 1750,
    network_type: "InfiniBand",
    regions: ["eu-central1-a"],
    last_instance_price: { "eu-central1-a": "$0.63" },
  },
  // SEED-002 full InstanceTypeModel record; V1 `a100.2x` (48/450) agrees. Inferred: network_type.
  // Region and price: V1 catalog, a100 2x in eu-central1-a at $1.32.
  {
    fid: "it_5M6aGxGovNeX5ltT",
    name: "a100-80gb.sxm.2x",
    num_cpus: 48,
    cpu_type: A100_CPU,
    ram_gb: 450,
    num_gpus: 2,
    gpu_type: "A100",
    gpu_memory_gb: 80,
    gpu_socket: "SXM4",
    local_storage_gb: 3500,
    network_type: "InfiniBand",
    regions: ["eu-central1-a"],
    last_instance_price: { "eu-central1-a": "$1.32" },
  },
  // SEED, FLOW2; SRAG used it as "4×A100". Inferred: num_cpus, ram_gb (V1 `a100.4x.SXM4.IB`: 96/900),
  // cpu_type, local_storage_gb, network_type. Region and price: V1 catalog, eu-central1-a at $2.66.
  {
    fid: "it_fK7Cx6TVhOK5ZfXT",
    name: "a100-80gb.sxm.4x",
    num_cpus: 96,
    cpu_type: A100_CPU,
    ram_gb: 900,
    num_gpus: 4,
    gpu_type: "A100",
    gpu_memory_gb: 80,
    gpu_socket: "SXM4",
    local_storage_gb: 7000,
    network_type: "InfiniBand",
    regions: ["eu-central1-a"],
    last_instance_price: { "eu-central1-a": "$2.66" },
  },
  // SEED, FLOW2. Inferred: num_cpus, ram_gb (V1 `a100.8x.SXM4.IB`: 192/1800), cpu_type,
  // local_storage_gb, network_type. Region and price: V1 catalog, eu-central1-a at $5.32.
  {
    fid: "it_J7OyNf9idfImLIFo",
    name: "a100-80gb.sxm.8x",
    num_cpus: 192,
    cpu_type: A100_CPU,
    ram_gb: 1800,
    num_gpus: 8,
    gpu_type: "A100",
    gpu_memory_gb: 80,
    gpu_socket: "SXM4",
    local_storage_gb: 14000,
    network_type: "InfiniBand",
    regions: ["eu-central1-a"],
    last_instance_price: { "eu-central1-a": "$5.32" },
  },
  // SEED, FLOW2 (same FID in the 2025-12 set). Inferred: every spec figure, from the DOCS-MIT
  // `h100.80gb.sxm` record (192 CPUs "Intel", 1800 GB RAM, 7800 GB local, InfiniBand).
  // Region and price: V1 catalog, h100 8x in us-central1-b at $8.00 (the seeds call us-central1-b
  // the less congested H100 region).
  {
    fid: "it_5ECSoHQjLBzrp5YM",
    name: "h100-80gb.sxm.8x",
    num_cpus: 192,
    cpu_type: "Intel",
    ram_gb: 1800,
    num_gpus: 8,
    gpu_type: "H100",
    gpu_memory_gb: 80,
    gpu_socket: "SXM5",
    local_storage_gb: 7800,
    network_type: "InfiniBand",
    regions: ["us-central1-b"],
    last_instance_price: { "us-central1-b": "$8.00" },
  },
  // Disputed FID (§11 #13): the SEED says h100-80gb.pcie.1x, the later FLOW2 files say 8×H100;
  // followed: h100-80gb.sxm.8x. Region and price: the SEED-002 auction `auc_rECU5s87CABp37aB`
  // (us-central1-a, capacity 11, $10.00). Inferred: every spec figure (as the FID above).
  {
    fid: "it_XqgKWbhZ5gznAYsG",
    name: "h100-80gb.sxm.8x",
    num_cpus: 192,
    cpu_type: "Intel",
    ram_gb: 1800,
    num_gpus: 8,
    gpu_type: "H100",
    gpu_memory_gb: 80,
    gpu_socket: "SXM5",
    local_storage_gb: 7800,
    network_type: "InfiniBand",
    regions: ["us-central1-a"],
    last_instance_price: { "us-central1-a": "$10.00" },
  },
];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const BUILTIN: Catalog = deepFreeze({ source: SNAPSHOT_SOURCE, instanceTypes: ENTRIES });

/** The built-in catalog (deeply frozen; the same object on every call). */
export function builtinCatalog(): Catalog {
  return BUILTIN;
}
