/**
 * User maps from cluster names to cloud meaning, as JSON or YAML files (JSON is YAML, so one parser
 * serves both):
 * - `--partition-map`: partition → { instance_type, region, image, max_price_per_hour };
 * - `--module-map`: environment module (`cuda/12.1`) → { image, setup }.
 * Loading never throws: a bad file is one precise message.
 */
import { parse } from "yaml";

export interface PartitionTarget {
  readonly instance_type?: string;
  readonly region?: string;
  readonly image?: string;
  readonly max_price_per_hour?: number;
}

export interface ModuleTarget {
  readonly image?: string;
  readonly setup?: string;
}

export type PartitionMap = Readonly<Record<string, PartitionTarget>>;
export type ModuleMap = Readonly<Record<string, ModuleTarget>>;

type FieldKinds = Readonly<Record<string, "string" | "number">>;

const PARTITION_FIELDS: FieldKinds = {
  instance_type: "string",
  region: "string",
  image: "string",
  max_price_per_hour: "number",
};
const MODULE_FIELDS: FieldKinds = { image: "string", setup: "string" };

type Loaded<T> = { ok: true; map: T } | { ok: false; message: string };

function loadNameMap(text: string, fields: FieldKinds, what: string): Loaded<Record<string, object>> {
  let data: unknown;
  try {
    data = parse(text, { version: "1.2" });
  } catch (error) {
    return { ok: false, message: (error as Error).message.split("\n")[0] ?? "unreadable" };
  }
  const valid = Object.keys(fields).join(", ");
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, message: `a ${what} map is a mapping: ${what} name → { ${valid} }` };
  }
  for (const [name, target] of Object.entries(data)) {
    if (typeof target !== "object" || target === null || Array.isArray(target)) {
      return { ok: false, message: `${what} \`${name}\`: expected a mapping of ${valid}` };
    }
    for (const [key, value] of Object.entries(target)) {
      const kind = fields[key];
      if (!kind)
        return { ok: false, message: `${what} \`${name}\`: unknown field \`${key}\` (valid: ${valid})` };
      if (typeof value !== kind)
        return { ok: false, message: `${what} \`${name}\`: \`${key}\` must be a ${kind}` };
    }
  }
  return { ok: true, map: data as Record<string, object> };
}

/** Parses and checks a partition map. */
export function loadPartitionMap(text: string): Loaded<PartitionMap> {
  return loadNameMap(text, PARTITION_FIELDS, "partition") as Loaded<PartitionMap>;
}

/** Parses and checks a module map. */
export function loadModuleMap(text: string): Loaded<ModuleMap> {
  return loadNameMap(text, MODULE_FIELDS, "module") as Loaded<ModuleMap>;
}
