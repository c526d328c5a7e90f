/**
 * What the command needs before it can start: its working directory, its script file and, with
 * an image, docker and the pulled image. This section comes before the env section, so the task's
 * variables (a `VERSION` or `DOCKER_HOST` meant for the job) cannot change how docker is installed
 * or the image pulled, and the loop variable here cannot clobber a task variable of the same name.
 *
 * A script is written through a quoted here-document (no expansion) whose delimiter does not occur
 * in the text, then trimmed of the here-document's final newline when the text had none, so the
 * file holds the script byte for byte.
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";
import { shellQuote } from "../quote.ts";
import { type ScriptSection, section } from "../section.ts";
import { SCRIPT_PATH, taskCommand, workingDir } from "./run.ts";

/** How many times `docker pull` is tried before the task fails. */
export const PULL_ATTEMPTS = 5;

/**
 * A here-document delimiter that does not occur anywhere in `text`: FLOW_EOF, else FLOW_EOF_1,
 * FLOW_EOF_2… Absent as a substring implies absent as a line, so the body cannot end early.
 */
export function heredocDelimiter(text: string): string {
  let delimiter = "FLOW_EOF";
  for (let n = 1; text.includes(delimiter); n++) delimiter = `FLOW_EOF_${n}`;
  return delimiter;
}

/** Lines that write `text` byte for byte to the script file and make it executable. */
function writeScriptFile(text: string): string[] {
  const file = `"${SCRIPT_PATH}"`;
  const delimiter = heredocDelimiter(text);
  const body = text.endsWith("\n") ? [text.slice(0, -1)] : text === "" ? [] : [text];
  const lines = [`cat >${file} <<'${delimiter}'`, ...body, delimiter];
  if (text !== "" && !text.endsWith("\n")) lines.push(`truncate -s -1 ${file}`);
  lines.push(`chmod +x ${file}`);
  return lines;
}

/** Lines that make sure docker exists and the image is present, pulling with backoff. */
function dockerSetup(image: string): string[] {
  return [
    "if ! command -v docker >/dev/null; then curl -fsSL https://get.docker.com | sh; fi",
    `for i in ${Array.from({ length: PULL_ATTEMPTS }, (_, n) => n + 1).join(" ")}; do`,
    `  docker pull ${shellQuote(image)} && break`,
    `  [ "$i" -lt ${PULL_ATTEMPTS} ] || exit 1`,
    "  sleep $((i * 10))",
    "done",
  ];
}

/** The setup section, or undefined when the command needs no directory, file or image. */
export function setupSection(task: TaskConfig): ScriptSection | undefined {
  const command = taskCommand(task);
  const dir = workingDir(task);
  const lines: string[] = [];
  if (dir !== undefined) lines.push(`mkdir -p ${shellQuote(dir)}`);
  if (command.kind === "script") lines.push(...writeScriptFile(command.text));
  if (task.image !== undefined) lines.push(...dockerSetup(task.image));
  return lines.length === 0 ? undefined : section("setup", lines);
}
