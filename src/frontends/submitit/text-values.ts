/**
 * The IR's text rule (IR005: no NUL character, no lone UTF-16 surrogate — `src/ir/checks/`) applied
 * to a submitit document where the user can see it. Most strings of a document do not reach the
 * task as themselves: setup lines, the command, the script, `args`, `map_array` and the folder are
 * rendered into the sbatch file, which becomes the task's `script`, so the IR check could only
 * point at the rendered file (and from there at the document's `parameters` key). Here every
 * string that reaches the job is checked in the JSON, and a problem is reported at the string
 * literal (or object key) that holds it, with a note at the escape that spells the character.
 *
 * Strings the job ignores (`$schema`, `executor`, other executors' parameters) are not checked:
 * nothing of them reaches the instance.
 */
import { type Diagnostic, diagnostic, type Suggestion } from "../../diagnostics/diagnostic.ts";
import type { JsonNode } from "../../source/json.ts";
import type { Span } from "../../source/source-file.ts";
import type { SubmititJob } from "./document.ts";
import { JsonStringMap } from "./json-string.ts";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Every string with a problem has one of these; one scan clears nearly every value. */
const SUSPECT = /[\0\uD800-\uDFFF]/;

/** The index of the first NUL or lone surrogate of `text`, or -1. */
function firstProblem(text: string): number {
  if (!SUSPECT.test(text)) return -1;
  const nul = text.indexOf("\0");
  const lone = LONE_SURROGATE.exec(text)?.index ?? -1;
  if (nul < 0) return lone;
  return lone < 0 ? nul : Math.min(nul, lone);
}

/** A name in a message: as it is, or JSON-escaped when it holds what a message must not show. */
const shown = (name: string): string => (firstProblem(name) < 0 ? name : JSON.stringify(name));

const hex = (unit: number): string => unit.toString(16).toUpperCase().padStart(4, "0");

class TextChecker {
  readonly diagnostics: Diagnostic[] = [];
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  /** Checks the string literal at `span`; `what` names it in the message (`` `script` ``, `the key "a"`). */
  literal(span: Span, what: string): void {
    // Strings without a suspect unit are the rule: one scan of the file's spelling first (an
    // escape is how these characters get into JSON text, so its `\` or the unit itself is there).
    const spelled = this.text.slice(span.start, span.end);
    if (!spelled.includes("\\") && !SUSPECT.test(spelled)) return;
    const map = JsonStringMap.of(this.text, span);
    if (!map) return; // not a literal readJson accepted: nothing of it reached the job
    const at = firstProblem(map.value);
    if (at < 0) return;
    const unit = map.value.charCodeAt(at);
    const where = map.unit(at);
    const spelling = this.text.slice(where.start, where.end);
    const written = spelling.startsWith("\\") ? ` (written \`${spelling}\`)` : "";
    const suggestions: Suggestion[] =
      unit === 0
        ? [
            {
              message: `remove the NUL character${written}: no shell word, environment variable or startup script can carry one`,
              replacement: "",
              span: where,
            },
          ]
        : [
            {
              message: `write the character itself, or both halves of its surrogate pair (\`\\uD83D\\uDE00\` is one character, 😀); a lone half${written} is not Unicode and cannot be written as UTF-8`,
            },
          ];
    const why =
      unit === 0 ? "a NUL character (U+0000)" : `a lone UTF-16 surrogate (U+${hex(unit)}, not valid Unicode)`;
    this.diagnostics.push(
      diagnostic("IR005", `${what} contains ${why}`, span, {
        notes: [{ message: `the ${unit === 0 ? "NUL character" : "surrogate"} is here`, span: where }],
        suggestions,
      }),
    );
  }

  /** Checks every string inside `node` (values and object keys); `label` is its path. */
  node(node: JsonNode, label: string): void {
    switch (node.kind) {
      case "string":
        this.literal(node.span, `\`${label}\``);
        return;
      case "array":
        node.items.forEach((item, i) => {
          this.node(item, `${label}[${i}]`);
        });
        return;
      case "object":
        for (const e of node.entries) {
          this.literal(e.keySpan, `the key ${JSON.stringify(e.key)} of \`${label}\``);
          this.node(e.value, `${label}.${shown(e.key)}`);
        }
        return;
      default:
        return;
    }
  }
}

/**
 * IR005 for every NUL character and lone surrogate in a string of the document that reaches the
 * job, at the JSON string (or key) that holds it. `text` is the document's text.
 */
export function checkTextValues(text: string, job: SubmititJob): Diagnostic[] {
  const c = new TextChecker(text);
  for (const setting of job.parameters.values()) if (setting.node) c.node(setting.node, setting.origin.label);
  if (job.folder.origin.key) c.literal(job.folder.origin.value, "`folder`");
  const command = job.command;
  if (command?.kind === "argv")
    command.words.forEach((w, i) => {
      c.literal(w.span, `\`command[${i}]\``);
    });
  else if (command)
    c.literal(command.origin.value, `\`${command.kind === "script" ? "script" : "command"}\``);
  job.args.forEach((w, i) => {
    c.literal(w.span, `\`args[${i}]\``);
  });
  job.mapArray?.elements.forEach((words, i) => {
    words.forEach((w, j) => {
      c.literal(w.span, `\`map_array[${i}][${j}]\``);
    });
  });
  if (job.cwd) c.literal(job.cwd.origin.value, "`cwd`");
  for (const e of job.env) {
    c.literal(e.key, `the name ${JSON.stringify(e.name)} in \`env\``);
    c.literal(e.span, `\`env.${shown(e.name)}\``);
  }
  for (const e of job.cloud) c.node(e.value, `cloud.${e.key}`);
  return c.diagnostics;
}
