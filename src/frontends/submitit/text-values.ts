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
import { firstBadCharacter } from "../../ir/checks/text-values.ts";
import type { JsonNode } from "../../source/json.ts";
import type { Span } from "../../source/source-file.ts";
import type { SubmititJob } from "./document.ts";
import type { JsonStringMaps } from "./json-string.ts";

/** A name in a message: as it is, or JSON-escaped when it holds what a message must not show. */
const shown = (name: string): string => (firstBadCharacter(name) === undefined ? name : JSON.stringify(name));

const hex = (unit: number): string => unit.toString(16).toUpperCase().padStart(4, "0");

class TextChecker {
  readonly diagnostics: Diagnostic[] = [];
  readonly text: string;
  readonly maps: JsonStringMaps;
  constructor(maps: JsonStringMaps) {
    this.maps = maps;
    this.text = maps.text;
  }

  /**
   * Checks the string literal at `span`; `what` names it in the message (`` `script` ``, `the key
   * "a"`). `value` is what the literal decodes to, when the document holds it unchanged: clean
   * strings (the rule) are then cleared by one scan of it, and only a string with a problem is
   * mapped to its spelling.
   */
  literal(span: Span, what: string, value?: string): void {
    if (value !== undefined && firstBadCharacter(value) === undefined) return;
    const map = this.maps.of(span);
    if (!map) return; // not a literal readJson accepted: nothing of it reached the job
    const at = firstBadCharacter(map.value);
    if (at === undefined) return;
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
        this.literal(node.span, `\`${label}\``, node.value);
        return;
      case "array":
        node.items.forEach((item, i) => {
          this.node(item, `${label}[${i}]`);
        });
        return;
      case "object":
        for (const e of node.entries) {
          this.literal(e.keySpan, `the key ${JSON.stringify(e.key)} of \`${label}\``, e.key);
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
 * job, at the JSON string (or key) that holds it. `maps` holds the document's text.
 */
export function checkTextValues(maps: JsonStringMaps, job: SubmititJob): Diagnostic[] {
  const c = new TextChecker(maps);
  for (const setting of job.parameters.values()) if (setting.node) c.node(setting.node, setting.origin.label);
  // `folder` and `cwd` hold absolute paths, not the literals' values: those are decoded (short).
  if (job.folder.origin.key) c.literal(job.folder.origin.value, "`folder`");
  const command = job.command;
  if (command?.kind === "argv")
    command.words.forEach((w, i) => {
      c.literal(w.span, `\`command[${i}]\``, w.text);
    });
  else if (command)
    c.literal(command.origin.value, `\`${command.kind === "script" ? "script" : "command"}\``, command.text);
  job.args.forEach((w, i) => {
    c.literal(w.span, `\`args[${i}]\``, w.text);
  });
  job.mapArray?.elements.forEach((words, i) => {
    words.forEach((w, j) => {
      c.literal(w.span, `\`map_array[${i}][${j}]\``, w.text);
    });
  });
  if (job.cwd) c.literal(job.cwd.origin.value, "`cwd`");
  for (const e of job.env) {
    c.literal(e.key, `the name ${JSON.stringify(e.name)} in \`env\``, e.name);
    c.literal(e.span, `\`env.${shown(e.name)}\``, e.value);
  }
  for (const e of job.cloud) c.node(e.value, `cloud.${e.key}`);
  return c.diagnostics;
}
