/**
 * The programs the startup script itself runs after the env section, called by absolute path.
 *
 * The env section exports the task's variables into the script's own shell, PATH among them: a
 * task `PATH=/opt/conda/bin:/usr/bin:/bin` would otherwise make `shutdown` (in /usr/sbin) not
 * found, so `auto_terminate` and the run-time limit's power-off would silently not happen, and
 * `timeout`, `date`, `docker`, `bash` are at risk the same way. So each program the script runs
 * after env is looked up with `command -v` *before* env, into a `FLOW_*` variable, and called
 * through it (`"$FLOW_SHUTDOWN" -h now`). It is resolved at run time, not written as a literal
 * path, so the machine's own layout decides (and the execution tests' stubs first on PATH still
 * answer). The job keeps the task's environment: `timeout`'s child, a host command and the
 * container (`-e NAME`) see the task's PATH; only the lookup of the script's programs does not.
 *
 * The header resolves them right after its EXIT trap; `docker` is resolved by the runtime section
 * once it is installed. The slurm section runs its many small commands with the PATH saved before
 * env (`SYSTEM_PATH_VARIABLE`) and restores the task's afterwards.
 *
 * Left to the job on purpose: variables that steer the programs themselves rather than their
 * lookup (`DOCKER_HOST`, `LD_LIBRARY_PATH`…) still reach `docker run` and the rest.
 */
import type { TaskConfig } from "../../../ir/task-config.ts";
import { limitByWatchdog, runTimeLimitSeconds } from "./limit.ts";

/** A program the script calls after the env section. */
export type Program = "date" | "shutdown" | "timeout" | "docker" | "bash" | "sleep" | "tee";

/** The variable holding a program's absolute path, e.g. FLOW_SHUTDOWN. */
export function programVariable(program: Program): string {
  return `FLOW_${program.toUpperCase()}`;
}

/** The program as the first word of a command: `"$FLOW_DATE"`. */
export function program(name: Program): string {
  return `"$${programVariable(name)}"`;
}

/**
 * The line that resolves `name` (before the env section). A program that is not found keeps its
 * bare name, so the script fails where it needs it (as it did before), not at the start.
 */
export function resolveLine(name: Program): string {
  return `${programVariable(name)}=$(command -v ${name}||echo ${name})`;
}

/** How the script powers the instance off (`auto_terminate`, the run-time limit). */
export const POWER_OFF = `${program("shutdown")} -h now`;

/** The variable holding PATH as it was before the env section (SLURM tasks only). */
export const SYSTEM_PATH_VARIABLE = "FLOW_PATH";

/**
 * The programs the header resolves for `task`, in a fixed order (docker is the runtime
 * section's): date for the EXIT trap, shutdown for `auto_terminate` and any run-time limit,
 * timeout when it keeps the limit, sleep for the watchdog and for a host task without a command,
 * bash for a host shell command or a script without `#!`, tee for a SLURM job's output files.
 */
export function headerPrograms(task: Partial<TaskConfig>): Program[] {
  const limit = runTimeLimitSeconds(task) !== undefined;
  const watchdog = limit && limitByWatchdog(task);
  const host = task.image === undefined;
  const shellOnHost =
    host &&
    ((task.command !== undefined && !Array.isArray(task.command)) ||
      task.shell !== undefined ||
      (task.script !== undefined && !task.script.startsWith("#!")));
  const idleOnHost =
    host && task.command === undefined && task.shell === undefined && task.script === undefined;
  const out: Program[] = ["date"];
  if (task.auto_terminate === true || limit) out.push("shutdown");
  if (limit && !watchdog) out.push("timeout");
  if (watchdog || idleOnHost) out.push("sleep");
  if (shellOnHost) out.push("bash");
  if (task.slurm !== undefined) out.push("tee");
  return out;
}
