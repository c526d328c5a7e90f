/**
 * The run-time limit (`max_run_time_hours`, `deadline_hours`, a SLURM job's `--time`), enforced on
 * the instance — the Python SDK's limit section never ran. The FCP API has no such field
 * (fcp-api §10), so the script does it:
 *
 * - the command runs under `timeout -k 60 <seconds>`: at the limit it gets SIGTERM (in a
 *   container through `docker run --init`, whose init passes it on), SIGKILL 60 s later;
 * - when the limit stopped it, the script says so in the log and powers the instance off, so an
 *   instance never outlives its limit by more than the grace period;
 * - a SLURM job with `--signal=B:…` already runs its batch shell in the background under its own
 *   timer, and a `timeout` in front would swallow that signal; it gets a watchdog instead, which
 *   powers the instance off at the limit (systemd's shutdown sends SIGTERM, then SIGKILL).
 *
 * The limit counts from when the command starts, as SLURM's does (SLURM_JOB_END_TIME agrees);
 * everything before — volumes, Docker, the image pull, the code upload — has its own timeout.
 * `deadline_hours` is applied the same way, so the command can run at most that long; the time a
 * bid waits in the auction is not counted (the backend warns, FCP012).
 */
import type { TaskConfig } from "../../../ir/task-config.ts";
import { POWER_OFF, program } from "./programs.ts";
import { LOG_DIR_VARIABLE, LOG_FILE } from "./sections/header.ts";
import { timeLimitSeconds, warningSignal } from "./slurm/job.ts";

/** Seconds between SIGTERM and SIGKILL at the limit. */
const KILL_GRACE_SECONDS = 60;

/** The limit of a task in whole seconds (at least 1), or undefined when it has none. */
export function runTimeLimitSeconds(task: Partial<TaskConfig>): number | undefined {
  const limits: number[] = [];
  const own =
    task.slurm !== undefined
      ? timeLimitSeconds(task)
      : task.max_run_time_hours === undefined
        ? undefined
        : task.max_run_time_hours * 3600;
  if (own !== undefined) limits.push(own);
  if (task.deadline_hours !== undefined) limits.push(task.deadline_hours * 3600);
  if (limits.length === 0) return undefined;
  return Math.max(1, Math.round(Math.min(...limits)));
}

/** Whether the limit is kept by the watchdog (a SLURM `--signal=B:`) rather than by `timeout`. */
export function limitByWatchdog(task: Partial<TaskConfig>): boolean {
  return task.slurm !== undefined && warningSignal(task)?.batchOnly === true;
}

/** The words put in front of the command, or "" when `timeout` does not keep the limit. */
export function timeoutPrefix(task: TaskConfig): string {
  const seconds = runTimeLimitSeconds(task);
  if (seconds === undefined || limitByWatchdog(task)) return "";
  return `${program("timeout")} -k ${KILL_GRACE_SECONDS} ${seconds} `;
}

/** The variable holding the epoch second at which the limit falls. */
const LIMIT_END_VARIABLE = "FLOW_LIMIT_END";

/** Lines before the command: when the limit falls. */
export function beforeCommandLines(task: TaskConfig): string[] {
  const seconds = runTimeLimitSeconds(task);
  if (seconds === undefined || limitByWatchdog(task)) return [];
  return [`${LIMIT_END_VARIABLE}=$(($(${program("date")} +%s) + ${seconds}))`];
}

/** Lines after the command (its status in `rc`): if the limit stopped it, say so and power off. */
export function afterCommandLines(task: TaskConfig): string[] {
  const seconds = runTimeLimitSeconds(task);
  if (seconds === undefined || limitByWatchdog(task)) return [];
  return [
    `if [ "$rc" -ge 124 ] && [ "$(${program("date")} +%s)" -ge "$${LIMIT_END_VARIABLE}" ]; then`,
    `  echo "flow: the run-time limit of ${seconds} s stopped the command; powering off"`,
    `  ${POWER_OFF}`,
    "fi",
  ];
}

/** The watchdog line for a task whose limit `timeout` cannot keep, else undefined. */
export function watchdogLine(task: TaskConfig): string | undefined {
  const seconds = runTimeLimitSeconds(task);
  if (seconds === undefined || !limitByWatchdog(task)) return undefined;
  const log = `"$${LOG_DIR_VARIABLE}/${LOG_FILE}"`;
  return (
    `(${program("sleep")} ${seconds}; kill -0 $$ || exit 0; echo "flow: the run-time limit of ${seconds} s is reached; powering off" >>${log}; ${POWER_OFF}) ` +
    ">/dev/null 2>&1 &"
  );
}
