/**
 * Where a JSON text first goes wrong. `JSON.parse` says so only for some errors (and echoes the
 * whole input for others), so a rejected catalog file is re-read by this small RFC 8259 scanner to
 * find the offset and name what was expected there. It never throws; when it cannot locate the
 * error (e.g. nesting too deep for the stack) it returns undefined.
 */

/** The first syntax error of a JSON text: its UTF-16 offset and what is wrong there. */
export interface JsonSyntaxError {
  readonly at: number;
  readonly message: string;
}

class Stop {
  readonly at: number;
  readonly message: string;
  constructor(at: number, message: string) {
    this.at = at;
    this.message = message;
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

function shown(text: string, at: number): string {
  const cp = text.codePointAt(at);
  if (cp === undefined) return "end of file";
  const ch = String.fromCodePoint(cp);
  return cp < 0x21 || cp > 0x7e ? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}` : `\`${ch}\``;
}

function scan(text: string): void {
  let i = 0;
  const stop = (expected: string): never => {
    throw new Stop(i, `unexpected ${shown(text, i)}; expected ${expected}`);
  };
  const ws = () => {
    while (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r") i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Stop(i, "unterminated string");
      if (c === '"') break;
      if (c < " ") stop("a character in a string (control characters must be escaped)");
      if (c === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) stop("four hex digits after `\\u`");
          i += 4;
        } else if (!ESCAPES.has(text[i] ?? "")) stop('an escape (`\\n`, `\\"`, `\\\\`, `\\u0041`, …)');
      }
      i++;
    }
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') stop("a double-quoted property name");
        string();
        ws();
        if (text[i] !== ":") stop("`:` after the property name");
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return;
        } else stop("`,` or `}` after a property value");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return;
        } else stop("`,` or `]` after an array element");
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const literal of ["true", "false", "null"]) {
      if (c === literal[0]) {
        if (!text.startsWith(literal, i)) stop(`\`${literal}\``);
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if ((c === "-" || (c !== undefined && c >= "0" && c <= "9")) && NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    stop("a JSON value (object, array, string, number, `true`, `false` or `null`)");
  };
  value();
  ws();
  if (i < text.length) stop("end of file after the JSON value");
}

/** The first syntax error of `text`, or undefined when `text` is valid JSON or cannot be scanned. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    scan(text);
    return undefined;
  } catch (e) {
    return e instanceof Stop ? { at: e.at, message: e.message } : undefined;
  }
}
