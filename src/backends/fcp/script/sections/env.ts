/**
 * The task's environment: one `export NAME=value` line per entry, every value through
 * `shellQuote`, so the command (and, by `docker run -e NAME`, the container) sees each value
 * exactly. Names are sorted by code unit, not by locale, so the same task always gives the same
 * bytes (DESIGN invariant 7).
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";
import { compareCodeUnits } from "../../../../source/code-units.ts";
import { isValidEnvName, shellQuote } from "../quote.ts";
import { type ScriptSection, section } from "../section.ts";

/**
 * The task's environment variable names in script order.
 *
 * @throws Error on a name bash cannot export; the IR rejects those (IR013), so reaching this is a
 * compiler bug, and dropping the variable silently would be worse (DESIGN invariant 1).
 */
export function envNames(task: TaskConfig): string[] {
  const names = Object.keys(task.env ?? {}).sort(compareCodeUnits);
  for (const name of names) {
    if (!isValidEnvName(name)) {
      throw new Error(`envNames: ${JSON.stringify(name)} is not a valid environment variable name`);
    }
  }
  return names;
}

/** The env section, or undefined when the task sets no variables. */
export function envSection(task: TaskConfig): ScriptSection | undefined {
  const env = task.env ?? {};
  const names = envNames(task);
  if (names.length === 0) return undefined;
  return section(
    "env",
    names.map((name) => `export ${name}=${shellQuote(env[name] ?? "")}`),
  );
}
