/**
 * The task's command, run once, with its exit status reported and returned as the script's own.
 * It comes after the env section and assigns no variable before the command starts, so a task
 * variable that happens to share a name with one of the script's (`rc`) reaches the command intact.
 *
 * Command forms: `command` as a list runs as exactly that argv; `command` as a string and `shell`
 * run by `bash -c`; `script` (written to a file by the setup section) runs by its `#!`
 * interpreter, or bash when it has none; no command at all keeps the task alive with
 * `sleep infinity`. Every value is passed through `shellQuote` (DESIGN invariant 5).
 *
 * With `image` the command runs in `docker run --gpus all --network host`; the environment goes in
 * by name only (`-e NAME`, the value inherited from the exported variable), so no value can ever
 * become docker options or shell text — the Python SDK's `-e NAME=value` injection. The working
 * directory and the mounted volumes go in at their own paths.
 *
 * Every program the script itself runs here (`docker`, `timeout`, `bash`, `date`, `sleep`) is called
 * by the absolute path resolved before the env section (`../programs.ts`), so a task's PATH
 * changes only what the job itself looks up.
 *
 * With a run-time limit the command runs under `timeout` (in a container with `--init`) and the
 * instance powers off when the limit stopped it (`../limit.ts`).
 *
 * A task with `slurm` (the slurm section ran before) also writes its output to the job's
 * `--output`/`--error` files, gets its `--signal=B:` warning and, in a container, the SLURM shims
 * and variables (`slurm/command-line.ts`); every other task's lines are unchanged.
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";
import { afterCommandLines, beforeCommandLines, runTimeLimitSeconds, timeoutPrefix } from "../limit.ts";
import { program } from "../programs.ts";
import { shellQuote, shellQuoteCommandName } from "../quote.ts";
import { ROOT } from "../root.ts";
import { type ScriptSection, section } from "../section.ts";
import { slurmContainerWrapper, slurmDockerOptions, slurmRunLines } from "../slurm/command-line.ts";
import { envNames } from "./env.ts";
import { LOG_DIR_VARIABLE } from "./header.ts";
import { volumeMounts } from "./volumes.ts";

/** The working directory when code is uploaded and the task names none. */
export const DEFAULT_WORKING_DIR = "/workspace";

/** Name of a task's script file, in the log directory on the host. */
export const SCRIPT_FILE = "task-script";

/** The script file on the host, as text to put inside double quotes. */
export const SCRIPT_PATH = `$${LOG_DIR_VARIABLE}/${SCRIPT_FILE}`;

/** Where a task's script file appears inside the container (read-only). */
export const CONTAINER_SCRIPT_PATH = "/flow-task-script";

/** The command form of a task. */
export type TaskCommand =
  | { readonly kind: "argv"; readonly argv: readonly string[] }
  | { readonly kind: "shell"; readonly text: string }
  | { readonly kind: "script"; readonly text: string }
  | { readonly kind: "none" };

/**
 * The command form of a task.
 *
 * @throws Error when more than one form is set; the IR rejects that (IR007), and picking one
 * silently would drop the other.
 */
export function taskCommand(task: TaskConfig): TaskCommand {
  const forms: TaskCommand[] = [];
  if (Array.isArray(task.command)) forms.push({ kind: "argv", argv: task.command });
  else if (task.command !== undefined) forms.push({ kind: "shell", text: task.command });
  if (task.shell !== undefined) forms.push({ kind: "shell", text: task.shell });
  if (task.script !== undefined) forms.push({ kind: "script", text: task.script });
  if (forms.length > 1) {
    throw new Error("taskCommand: a task has more than one of command, shell and script");
  }
  return forms[0] ?? { kind: "none" };
}

/** The directory the command starts in: `working_dir`, else /workspace unless `upload_code: false`. */
export function workingDir(task: TaskConfig): string | undefined {
  return task.working_dir ?? (task.upload_code === false ? undefined : DEFAULT_WORKING_DIR);
}

/** Paths of the task's mounted volumes on the instance: `mount_path`, else /volumes/<name>. */
export function volumeMountPaths(task: TaskConfig): string[] {
  return volumeMounts(task).map((v) => v.mountPath);
}

/** The `docker run` command line for a task with an image. */
function dockerRun(task: TaskConfig, image: string, command: TaskCommand): string {
  const dir = workingDir(task);
  const words = [program("docker"), "run", "--rm", "--gpus", "all", "--network", "host"];
  if (runTimeLimitSeconds(task) !== undefined) words.push("--init");
  if (dir !== undefined) words.push("-w", shellQuote(dir), "-v", shellQuote(`${dir}:${dir}`));
  for (const path of volumeMountPaths(task)) {
    if (path !== dir) words.push("-v", `${ROOT}${shellQuote(`${path}:${path}`)}`);
  }
  for (const name of envNames(task)) words.push("-e", name);
  if (task.slurm !== undefined) words.push(...slurmDockerOptions());
  const wrapper = task.slurm === undefined ? [] : slurmContainerWrapper(task.slurm);
  switch (command.kind) {
    case "argv":
      words.push(shellQuote(image), ...wrapper, ...command.argv.map(shellQuote));
      break;
    case "shell":
      words.push(shellQuote(image), ...wrapper, "bash", "-c", shellQuote(command.text));
      break;
    case "script":
      words.push("-v", `"${SCRIPT_PATH}:${CONTAINER_SCRIPT_PATH}:ro"`, shellQuote(image), ...wrapper);
      if (!command.text.startsWith("#!")) words.push("bash");
      words.push(CONTAINER_SCRIPT_PATH);
      break;
    case "none":
      words.push("--entrypoint", "sleep", shellQuote(image), "infinity");
      break;
  }
  return words.join(" ");
}

/** The command line for a task without an image, run on the host in the working directory. */
function hostRun(command: TaskCommand): string {
  switch (command.kind) {
    case "argv":
      return [shellQuoteCommandName(command.argv[0] ?? ""), ...command.argv.slice(1).map(shellQuote)].join(
        " ",
      );
    case "shell":
      return `${program("bash")} -c ${shellQuote(command.text)}`;
    case "script":
      return command.text.startsWith("#!") ? `"${SCRIPT_PATH}"` : `${program("bash")} "${SCRIPT_PATH}"`;
    case "none":
      return `${program("sleep")} infinity`;
  }
}

/** The run section; every task has one. */
export function runSection(task: TaskConfig): ScriptSection {
  const command = taskCommand(task);
  const dir = workingDir(task);
  const lines: string[] = [];
  if (task.image === undefined && dir !== undefined) lines.push(`cd ${shellQuote(dir)}`);
  const commandLine =
    timeoutPrefix(task) +
    (task.image === undefined ? hostRun(command) : dockerRun(task, task.image, command));
  lines.push(
    ...beforeCommandLines(task),
    ...(task.slurm === undefined
      ? [`if ${commandLine}; then rc=0; else rc=$?; fi`]
      : slurmRunLines(task, task.slurm, commandLine)),
    'echo "flow: command exited with status $rc"',
    ...afterCommandLines(task),
    'exit "$rc"',
  );
  return section("run", lines);
}
