/**
 * What a SLURM task changes in the run section's command line, kept here so that the run section
 * stays byte-for-byte what it was for every other task:
 *
 * - the batch script's stdout (and stderr, or a separate `--error` file) also goes to the files the
 *   slurm section prepared, through `tee -a` — the startup log still gets everything;
 * - with `--signal=B:…` the command runs in the background while a timer sends the signal to it
 *   (on the host the batch shell; in a container the `docker run` client, which passes it on to
 *   the batch shell) that many seconds before SLURM_JOB_END_TIME; the timer is stopped when the
 *   command ends, so it can never signal a recycled process id;
 * - in a container, the shim directory is mounted read-only at a fixed path and put first on PATH
 *   by a `sh -c` wrapper (the image's own PATH is unknown when compiling, so it cannot be passed
 *   in), and every SLURM variable goes in by name only (`-e NAME`), as the env section's do.
 *
 * No file here imports the run section, so the run and slurm sections can both use it.
 */
import type { SlurmJob, TaskConfig } from "../../../../ir/task-config.ts";
import { program } from "../programs.ts";
import { shellQuote } from "../quote.ts";
import { LOG_DIR_VARIABLE } from "../sections/header.ts";
import { warningSignal } from "./job.ts";

/** The shim directory on the host, as text to put inside double quotes. */
export const SHIM_DIR = `$${LOG_DIR_VARIABLE}/slurm`;

/** Where the shim directory appears inside a container (read-only). */
export const CONTAINER_SHIM_DIR = "/flow-slurm";

/** The file of flow's `module`/`ml` functions in the shim directory (slurm/modules.ts). */
export const MODULES_FILE = "modules.sh";

/** The variable holding the expanded `--output` path. */
export const OUTPUT_VARIABLE = "FLOW_SLURM_OUT";

/** The variable holding the expanded `--error` path, set only when the task names one. */
export const ERROR_VARIABLE = "FLOW_SLURM_ERR";

/** The bash array of `-e NAME` words for the container: every SLURM variable and ENVIRONMENT. */
export const DOCKER_ENV_ARRAY = "FLOW_SLURM_ENV";

/**
 * Redirections appended to the command, writing its output to the job's files as well as to the
 * startup log: stdout and stderr to the output file, or stderr to its own file with `--error`.
 */
function redirections(slurm: SlurmJob): string {
  const tee = program("tee");
  const out = `> >(${tee} -a "$${OUTPUT_VARIABLE}")`;
  return slurm.error === undefined ? `${out} 2>&1` : `${out} 2> >(${tee} -a "$${ERROR_VARIABLE}" >&2)`;
}

/**
 * The lines that run `commandLine` for a SLURM task and leave its exit status in `rc`, as the
 * run section's own line does for every other task.
 */
export function slurmRunLines(task: TaskConfig, slurm: SlurmJob, commandLine: string): string[] {
  const redirected = `${commandLine} ${redirections(slurm)}`;
  const signal = warningSignal(task);
  if (signal === undefined || !signal.batchOnly) return [`if ${redirected}; then rc=0; else rc=$?; fi`];
  return [
    `${redirected} &`,
    "FLOW_PID=$!",
    `FLOW_W=$((SLURM_JOB_END_TIME - ${signal.secondsBefore} - $(${program("date")} +%s)))`,
    // A builtin wait (`read -t` on a pipe no one writes), not `sleep`: killing the timer must leave
    // no process behind holding the output pipes.
    `(read -rt $((FLOW_W > 0 ? FLOW_W : 0)) <> <(:) || :; kill -s ${shellQuote(signal.name)} "$FLOW_PID") >/dev/null 2>&1 &`,
    "FLOW_T=$!",
    'if wait "$FLOW_PID"; then rc=0; else rc=$?; fi',
    'kill "$FLOW_T" 2>/dev/null || :',
  ];
}

/** `docker run` options: the shim mount, then the SLURM variables by name. */
export function slurmDockerOptions(): string[] {
  return ["-v", `"${SHIM_DIR}:${CONTAINER_SHIM_DIR}:ro"`, `"\${${DOCKER_ENV_ARRAY}[@]}"`];
}

/**
 * Words placed between the image and the command: a POSIX `sh` that puts the shims first on
 * the image's PATH (and, for a script that runs `module`, points BASH_ENV at flow's `module`
 * functions) and then executes the command with its arguments unchanged.
 */
export function slurmContainerWrapper(slurm: SlurmJob): string[] {
  const modules =
    slurm.modules === undefined ? "" : ` BASH_ENV=${CONTAINER_SHIM_DIR}/${MODULES_FILE}; export BASH_ENV`;
  return ["sh", "-c", `'PATH=${CONTAINER_SHIM_DIR}:$PATH${modules}; exec "$@"'`, "sh"];
}
