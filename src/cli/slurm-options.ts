/**
 * The options every `flow slurm …` command (and `flow compile` of a script) shares: `--set`
 * values for template placeholders, SBATCH_* input variables from the environment, the partition
 * map, the module map and a default image.
 */

import type { SlurmLowerOptions } from "../frontends/slurm/lower.ts";
import {
  loadModuleMap,
  loadPartitionMap,
  type ModuleMap,
  type PartitionMap,
} from "../frontends/slurm/partition-map.ts";
import { readInput } from "./files.ts";
import { type CliIo, UsageError } from "./io.ts";

export interface SlurmFlags {
  set?: string[];
  partitionMap?: string;
  moduleMap?: string;
  image?: string;
  ignoreDependencies?: boolean;
}

/** `--set NAME=value`, repeatable. */
export function collectSet(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseSet(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set takes NAME=value, not \`${item}\``);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Builds the SLURM lowering options from flags and the environment's SBATCH_* variables. */
export async function slurmOptions(io: CliIo, flags: SlurmFlags): Promise<SlurmLowerOptions> {
  let partitionMap: PartitionMap | undefined;
  if (flags.partitionMap) {
    const loaded = loadPartitionMap(await readInput(io, flags.partitionMap));
    if (!loaded.ok) throw new UsageError(`partition map \`${flags.partitionMap}\`: ${loaded.message}`);
    partitionMap = loaded.map;
  }
  let moduleMap: ModuleMap | undefined;
  if (flags.moduleMap) {
    const loaded = loadModuleMap(await readInput(io, flags.moduleMap));
    if (!loaded.ok) throw new UsageError(`module map \`${flags.moduleMap}\`: ${loaded.message}`);
    moduleMap = loaded.map;
  }
  const env = Object.fromEntries(Object.entries(io.env).filter(([k]) => k.startsWith("SBATCH_")));
  return {
    set: parseSet(flags.set ?? []),
    env,
    ...(partitionMap ? { partitionMap } : {}),
    ...(moduleMap ? { moduleMap } : {}),
    ...(flags.image ? { image: flags.image } : {}),
    ...(flags.ignoreDependencies ? { ignoreDependencies: true } : {}),
  };
}
