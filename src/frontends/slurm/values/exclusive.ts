/**
 * `--exclusive[=mode]` (spec `slurm.md` §7.2, §8.14; SO `arg_set_exclusive()`): without a value (or
 * with `exclusive`) the job gets whole nodes; `user`, `mcs`, `topo` share nodes only with the same
 * user / MCS label / topology block; `oversubscribe` is the opposite (sharing allowed), and
 * `allocation` is accepted as in the spec's list. Values are case-insensitive.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { show } from "./text.ts";

/** A parsed `--exclusive`. */
export interface Exclusive {
  readonly mode: "node" | "user" | "mcs" | "topo" | "allocation" | "oversubscribe";
}

/** Parses `--exclusive`: `undefined` (no `=value`) → whole nodes, `user`, `mcs`, `topo`. */
export function parseExclusive(text: string | undefined): ValueResult<Exclusive> {
  if (text === undefined) return ok({ mode: "node" });
  if (typeof text !== "string") return fail("the value must be a string");
  const lower = text.toLowerCase();
  if (lower === "exclusive") return ok({ mode: "node" });
  if (
    lower === "user" ||
    lower === "mcs" ||
    lower === "topo" ||
    lower === "allocation" ||
    lower === "oversubscribe"
  ) {
    return ok({ mode: lower });
  }
  return fail(
    `${show(text)} is not an exclusive mode: write \`--exclusive\` alone, or \`=user\`, \`=mcs\` or \`=topo\``,
    ["user", "mcs", "topo"],
  );
}
