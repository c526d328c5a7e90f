/**
 * What the command needs before it can start: its working directory and its script file (Docker
 * and the image are the runtime section's). This section comes before the env section, so no
 * task variable can change where these go.
 *
 * A script is written through a quoted here-document (no expansion) whose delimiter does not occur
 * in the text, then trimmed of the here-document's final newline when the text had none, so the
 * file holds the script byte for byte.
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";
import { shellQuote } from "../quote.ts";
import { type ScriptSection, section } from "../section.ts";
import { SCRIPT_PATH, taskCommand, workingDir } from "./run.ts";

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

/** The setup section, or undefined when the command needs no directory or file. */
export function setupSection(task: TaskConfig): ScriptSection | undefined {
  const command = taskCommand(task);
  const dir = workingDir(task);
  const lines: string[] = [];
  if (dir !== undefined) lines.push(`mkdir -p ${shellQuote(dir)}`);
  if (command.kind === "script") lines.push(...writeScriptFile(command.text));
  return lines.length === 0 ? undefined : section("setup", lines);
}
