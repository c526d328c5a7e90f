/**
 * The run-time limit's watchdog, for the one case `timeout` cannot keep the limit (a SLURM job
 * with `--signal=B:…`; see `../limit.ts`, which also holds the `timeout` form the run section uses).
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";
import { watchdogLine } from "../limit.ts";
import { type ScriptSection, section } from "../section.ts";

/** The limit section, or undefined when the task has no limit or `timeout` keeps it. */
export function limitSection(task: TaskConfig): ScriptSection | undefined {
  const line = watchdogLine(task);
  return line === undefined ? undefined : section("limit", [line]);
}
