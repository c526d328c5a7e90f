/**
 * `--distribution`/`-m` (spec `slurm.md` §8.14; PA `verify_dist_type()`, `_parse_dist_base()`,
 * `_parse_plane_dist()`, `_parse_dist_flag()`):
 * `{*|block|cyclic|arbitrary|plane=N}[:{*|block|cyclic|fcyclic}[:{*|block|cyclic|fcyclic}]][,pack|nopack]`,
 * any case. `hostfile` means `arbitrary`. `*` is the default of its level: `block` for nodes,
 * `cyclic` for sockets, and the socket method for cores. `arbitrary` takes no further levels, and
 * the first level cannot be `fcyclic`. `pack`/`nopack` may also stand alone (default layout).
 * Empty levels (`block::cyclic`) are skipped as `strtok()` skips them. `plane` takes its size after
 * `=`; sbatch would fall back to `SLURM_DIST_PLANESIZE`, which a compiled script does not have, so
 * `plane` without a size is rejected.
 */
import { strtol } from "./c-number.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { parseValue, show } from "./text.ts";

/** A task-distribution method of one level. */
export type DistributionMethod = "block" | "cyclic" | "fcyclic";

/** A parsed `--distribution`; `canonical` is the form sbatch exports in `SLURM_DISTRIBUTION`. */
export interface Distribution {
  /** Across nodes; absent when only `pack`/`nopack` was given. */
  readonly node?: "block" | "cyclic" | "arbitrary" | "plane";
  readonly socket?: DistributionMethod;
  readonly core?: DistributionMethod;
  readonly planeSize?: number;
  readonly pack?: "pack" | "nopack";
  readonly canonical: string;
}

const LEVEL = new Set(["block", "cyclic", "fcyclic"]);

/** Parses `--distribution`: `block`, `cyclic:cyclic`, `block:*:fcyclic`, `plane=4`, `block,pack`. */
export function parseDistribution(text: string): ValueResult<Distribution> {
  return parseValue(text, scanDistribution);
}

function scanDistribution(text: string): ValueResult<Distribution> {
  const usage = "write e.g. `block`, `cyclic`, `block:cyclic`, `plane=4` or `arbitrary`";
  if (/^plane/i.test(text)) {
    const eq = text.indexOf("=");
    if (eq < 0) {
      return fail(
        `${show(text)} needs a plane size: write \`plane=N\` (sbatch would read SLURM_DIST_PLANESIZE, which the cloud does not set)`,
      );
    }
    const size = strtol(text, eq + 1);
    if (!size.hasDigits || size.end < text.length || size.value <= 0n || size.value > 2147483647n) {
      return fail(
        `${show(text)}: the plane size must be a whole number from 1 to 2147483647, and nothing may follow it`,
      );
    }
    return ok({ node: "plane", planeSize: Number(size.value), canonical: `plane=${size.value}` });
  }
  if (text === "" || text.startsWith(",")) return fail(`${show(text)} is not a distribution: ${usage}`);
  const comma = text.indexOf(",");
  const base = comma < 0 ? text : text.slice(0, comma);
  const flag = comma < 0 ? "" : text.slice(comma + 1).toLowerCase();
  if (flag !== "" && flag !== "pack" && flag !== "nopack") {
    return fail(`${show(text)}: only \`pack\` or \`nopack\` may follow the \`,\``, []);
  }
  const levels = base
    .toLowerCase()
    .split(":")
    .filter((l) => l !== "");
  if (levels.length > 3) return fail(`${show(text)} has more than three levels (nodes:sockets:cores)`);
  if (levels.length === 1 && (levels[0] === "pack" || levels[0] === "nopack")) {
    const pack = levels[0];
    return flag === ""
      ? ok({ pack, canonical: pack })
      : fail(`${show(text)}: \`${pack}\` cannot be followed by another flag`);
  }
  const [nodeWord = "", socketWord, coreWord] = levels;
  const node = nodeWord === "*" ? "block" : nodeWord === "hostfile" ? "arbitrary" : nodeWord;
  if (node !== "block" && node !== "cyclic" && node !== "arbitrary") {
    return fail(`${show(text)} is not a distribution: \`${nodeWord}\` is not a node method; ${usage}`);
  }
  if (node === "arbitrary" && levels.length > 1) {
    return fail(`${show(text)}: \`${nodeWord}\` takes no socket or core method`);
  }
  const socket = socketWord === undefined ? undefined : socketWord === "*" ? "cyclic" : socketWord;
  const core = coreWord === undefined ? undefined : coreWord === "*" ? socket : coreWord;
  for (const level of [socket, core]) {
    if (level !== undefined && !LEVEL.has(level)) {
      return fail(
        `${show(text)}: \`${level}\` is not a socket or core method (use \`block\`, \`cyclic\` or \`fcyclic\`)`,
      );
    }
  }
  const canonical =
    [node, socket, core].filter((l) => l !== undefined).join(":") + (flag === "" ? "" : `,${flag}`);
  return ok({
    node,
    ...(socket === undefined ? {} : { socket: socket as DistributionMethod }),
    ...(core === undefined ? {} : { core: core as DistributionMethod }),
    ...(flag === "" ? {} : { pack: flag as "pack" | "nopack" }),
    canonical,
  });
}
