/**
 * The first section of every startup script: the `#!/bin/bash` line the platform requires, strict
 * mode, and one log — everything the script and the task print goes both to the console (which
 * cloud-init records) and to `$FLOW_LOG_DIR/task.log`. An EXIT trap writes, whatever ends the
 * script (the command, a failed pull, `set -e`, the run-time limit), its exit status to
 * `$FLOW_LOG_DIR/exit-status` and the end time (UTC, ISO 8601) to `$FLOW_LOG_DIR/end-time`; with
 * `auto_terminate: true` it then powers the instance off. Then it resolves the programs the script
 * runs after the task's env is exported (`../programs.ts`), so a task PATH cannot hide them.
 *
 * Deliberately tiny (the Python SDK spent 4.9 KB on fixed overhead) and never `set -x`, which
 * would print every exported value into the log (DESIGN invariant 6).
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";
import { headerPrograms, POWER_OFF, program, resolveLine, SYSTEM_PATH_VARIABLE } from "../programs.ts";
import { type ScriptSection, section } from "../section.ts";

/** Where the log, the exit status and a task's script file live unless `FLOW_LOG_DIR` says otherwise. */
export const DEFAULT_LOG_DIR = "/var/log/flow";

/** The variable that redirects the log directory (tests point it at a temporary directory). */
export const LOG_DIR_VARIABLE = "FLOW_LOG_DIR";

/** The log of everything the script and the task print, inside the log directory. */
export const LOG_FILE = "task.log";

/** The script's exit status as a decimal line, written on every exit, inside the log directory. */
export const EXIT_STATUS_FILE = "exit-status";

/** When the script ended, `YYYY-MM-DDTHH:MM:SSZ`, written on every exit, inside the log directory. */
export const END_TIME_FILE = "end-time";

/**
 * The EXIT trap line. `resolved`: call date and shutdown through the paths the header resolves
 * (`../programs.ts`), as the script must once the task's env is exported; the compressed form's
 * bootstrap, which exports nothing, calls them by name.
 */
export function exitTrap(task: Pick<TaskConfig, "auto_terminate">, resolved = true): string {
  const dir = `"$${LOG_DIR_VARIABLE}"`;
  const onExit = [
    `echo "$?" >${dir}/${EXIT_STATUS_FILE}`,
    `${resolved ? program("date") : "date"} -u +%FT%TZ >${dir}/${END_TIME_FILE}`,
    ...(task.auto_terminate === true ? [resolved ? POWER_OFF : "shutdown -h now"] : []),
  ];
  return `trap '${onExit.join(";")}' EXIT`;
}

/**
 * The lines every script starts with, the compressed form's bootstrap too: bash, strict mode and
 * the log directory.
 */
export function preambleLines(): string[] {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    `${LOG_DIR_VARIABLE}=\${${LOG_DIR_VARIABLE}:-${DEFAULT_LOG_DIR}}`,
    `mkdir -p "$${LOG_DIR_VARIABLE}"`,
  ];
}

/**
 * The header section; the same for every task but for `auto_terminate` and the programs it
 * resolves (`headerPrograms`), after the trap (a SLURM task also saves PATH as it is before env).
 */
export function headerSection(task: Partial<TaskConfig> = {}): ScriptSection {
  const programs = headerPrograms(task);
  const autoTerminate = task.auto_terminate === true;
  const slurm = task.slurm !== undefined;
  // A handful of variants exist; each is made once (sections are immutable).
  const key = `${programs.join(",")}|${autoTerminate}|${slurm}`;
  let made = HEADERS.get(key);
  if (made === undefined) {
    const dir = `"$${LOG_DIR_VARIABLE}"`;
    made = section("header", [
      ...preambleLines(),
      `exec > >(tee -a ${dir}/${LOG_FILE}) 2>&1`,
      // The programs first, so the trap can never run with them unset (`set -u`).
      ...programs.map(resolveLine),
      exitTrap({ auto_terminate: autoTerminate }),
      ...(slurm ? [`${SYSTEM_PATH_VARIABLE}=$PATH`] : []),
    ]);
    HEADERS.set(key, made);
  }
  return made;
}

/** The header sections made so far, by what they depend on (at most a few dozen variants). */
const HEADERS = new Map<string, ScriptSection>();
