/**
 * Rule: every string of the task can reach a shell and a UTF-8 startup script, so none may hold a
 * NUL character (no shell word or process environment can carry one) or a lone UTF-16 surrogate
 * (not Unicode; it cannot be encoded as UTF-8). Both are rejected here, at their span, rather than
 * corrupted later.
 */
import { type Diagnostic, diagnostic } from "../../diagnostics/diagnostic.ts";
import { describePath } from "../describe.ts";
import { spanAt } from "../span-map.ts";
import type { Check } from "./check.ts";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Every string with a problem has one of these; one scan clears nearly every value. */
const SUSPECT = /[\0\uD800-\uDFFF]/;

/**
 * The index of the first character of `text` this rule rejects (a NUL or a lone UTF-16
 * surrogate), or undefined when there is none. One scan clears nearly every string.
 */
export function firstBadCharacter(text: string): number | undefined {
  if (!SUSPECT.test(text)) return undefined;
  const nul = text.indexOf("\0");
  const lone = LONE_SURROGATE.exec(text)?.index;
  if (nul < 0) return lone;
  return lone === undefined ? nul : Math.min(nul, lone);
}

function problem(text: string): string | undefined {
  if (firstBadCharacter(text) === undefined) return undefined;
  if (text.includes("\0")) return "contains a NUL character";
  return "contains a lone UTF-16 surrogate (not valid Unicode)";
}

export const checkTextValues: Check = (task, spans) => {
  const out: Diagnostic[] = [];
  // One path, extended and restored in place; copied only for a diagnostic.
  const path: PropertyKey[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      const why = problem(value);
      if (why) out.push(diagnostic("IR005", `${describePath(path)} ${why}`, spanAt(spans, [...path])));
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        visit(value[i]);
        path.pop();
      }
    } else if (typeof value === "object" && value !== null) {
      const record = value as Readonly<Record<string, unknown>>;
      for (const key of Object.keys(record)) {
        path.push(key);
        const why = problem(key);
        if (why) {
          out.push(
            diagnostic("IR005", `the key ${JSON.stringify(key)} ${why}`, spanAt(spans, [...path], true)),
          );
        }
        visit(record[key]);
        path.pop();
      }
    }
  };
  visit(task);
  return out;
};
