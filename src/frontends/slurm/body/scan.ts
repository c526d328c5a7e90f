/**
 * A small shell scanner for batch-script bodies: one pass over the text that finds every simple
 * command bash would run and every reference to variables with a given name prefix, with exact
 * offsets. It is not a bash parser; it knows exactly as much grammar as is needed so that nothing
 * is ever reported from inside a comment, a quoted string or a here-document body:
 *
 * - words, `'…'`, `"…"`, `$'…'`, backslash escapes and `\`-newline continuations;
 * - separators `;` `&` `&&` `|` `||` `|&` `;;`, newlines, subshell parentheses;
 * - redirections (their targets are not arguments) and here-documents (bodies skipped, `<<-` too);
 * - `$(…)`, backticks and `<(…)`/`>(…)`: the commands inside are scanned as commands (marked
 *   `nested`), also inside double quotes;
 * - `${…}`, `$((…))`, `((…))` and array subscripts: variable references inside them, including
 *   bare names in arithmetic;
 * - leading assignments and reserved words (`if`, `then`, `do`, `!`, `time`…) before the command
 *   word; `for`/`case` headers and `case` patterns are not commands.
 *
 * Guarantees: it never throws, always terminates in time linear in the text (nesting deeper than
 * {@link MAX_NESTING} is skipped, not recursed), reports offsets inside `[0, text.length]`, and
 * allocates nothing per character: word boundaries go into buffers reused across commands.
 */

/** Word flag: the word contains quotes or backslash escapes (its value differs from its text). */
export const WORD_QUOTED = 1;
/** Word flag: the word contains an expansion (`$…`, `` `…` ``), so its value is known only at run time. */
export const WORD_EXPANDS = 2;

/** How a variable was referenced. */
export type VariableForm = "plain" | "default" | "arithmetic";

/**
 * One simple command, as a view into the scanner's reusable buffers: valid only during the
 * {@link ShellVisitor.command} call that receives it.
 */
export interface ShellCommand {
  readonly text: string;
  /** Number of words, assignments and reserved words included. */
  readonly count: number;
  /** Index of the command word (after leading assignments and reserved words); `count` if none. */
  readonly first: number;
  /** Whether the command runs inside `$(…)`, backticks or a process substitution. */
  readonly nested: boolean;
  start(i: number): number;
  end(i: number): number;
  flags(i: number): number;
  /** The word's value with quotes removed; for a word that expands, its source text. */
  value(i: number): string;
  /** Whether word `i` is exactly the unquoted literal `s` (no allocation). */
  is(i: number, s: string): boolean;
}

/** Receives what the scanner finds, in source order. */
export interface ShellVisitor {
  command(cmd: ShellCommand): void;
  /** A reference to a variable whose name starts with the prefix; `[start, end)` is the name. */
  variable(start: number, end: number, form: VariableForm): void;
  /** An assignment `NAME=…` before a command word, NAME starting with the prefix. */
  assignment(start: number, end: number): void;
}

/** Deeper nesting of `$(…)`, backticks, `${…}` and `$((…))` is skipped over rather than scanned, so recursion stays bounded. */
const MAX_NESTING = 32;

const TAB = 9;
const NL = 10;
const CR = 13;
const SP = 32;
const BANG = 33;
const DQ = 34;
const HASH = 35;
const DOLLAR = 36;
const AMP = 38;
const SQ = 39;
const LP = 40;
const RP = 41;
const PLUS = 43;
const DASH = 45;
const COLON = 58;
const SEMI = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const BACKTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;

/** What ends a list of commands. */
const END_EOF = 0;
const END_PAREN = 1;
const END_BACKTICK = 2;

/** What ends an arithmetic expression. */
const ARITH_PARENS = 0;
const ARITH_BRACKET = 1;

/** Character classes below 128: 0 ordinary, 1 blank, 2 newline, 3 operator, 4 quoting/expansion. */
const CLASS = new Uint8Array(128);
CLASS[SP] = 1;
CLASS[TAB] = 1;
CLASS[CR] = 1;
CLASS[NL] = 2;
for (const c of [SEMI, AMP, PIPE, LP, RP, LT, GT]) CLASS[c] = 3;
for (const c of [BACKSLASH, SQ, DQ, DOLLAR, BACKTICK]) CLASS[c] = 4;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Reserved words that may precede a command word, grouped by length for allocation-free matching. */
const SKIPPED_WORDS: readonly (readonly string[])[] = [
  [],
  ["!", "{", "}"],
  ["if", "fi", "do"],
  [],
  ["then", "else", "elif", "done", "esac", "time"],
  ["while", "until"],
];

/** Words that start a construct whose words are not a command (`function NAME` is followed by its body). */
const HEADER_WORDS: readonly (readonly string[])[] = [
  [],
  [],
  [],
  ["for"],
  ["case"],
  [],
  ["select"],
  [],
  ["function"],
];

function matchesAny(text: string, s: number, e: number, table: readonly (readonly string[])[]): boolean {
  const words = table[e - s];
  if (!words) return false;
  for (const w of words) if (text.startsWith(w, s)) return true;
  return false;
}

/** The value of a quoted word `[s, e)` that contains no expansion. */
function unquote(text: string, s: number, e: number): string {
  let out = "";
  let i = s;
  while (i < e) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      if (i + 1 < e && text.charCodeAt(i + 1) !== NL) out += text[i + 1];
      i += 2;
    } else if (c === SQ) {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 || close > e ? e : close;
      out += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === DQ) {
      i++;
      while (i < e && text.charCodeAt(i) !== DQ) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH && i + 1 < e) {
          const n = text.charCodeAt(i + 1);
          if (n === DQ || n === BACKSLASH || n === DOLLAR || n === BACKTICK) out += text[i + 1];
          else if (n !== NL) out += text.slice(i, i + 2);
          i += 2;
        } else {
          out += text[i];
          i++;
        }
      }
      i++;
    } else if (c === DOLLAR && i + 1 < e && text.charCodeAt(i + 1) === SQ) {
      i += 2;
      while (i < e && text.charCodeAt(i) !== SQ) {
        if (text.charCodeAt(i) === BACKSLASH && i + 1 < e) i++;
        out += text[i];
        i++;
      }
      i++;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

/** The words of the command being read at one nesting depth, reused from command to command. */
class CommandBuffer implements ShellCommand {
  readonly text: string;
  count = 0;
  first = 0;
  nested: boolean;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly flagList: number[] = [];

  constructor(text: string, nested: boolean) {
    this.text = text;
    this.nested = nested;
  }

  push(start: number, end: number, flags: number): void {
    const n = this.count;
    this.starts[n] = start;
    this.ends[n] = end;
    this.flagList[n] = flags;
    this.count = n + 1;
  }

  start(i: number): number {
    return this.starts[i] ?? this.text.length;
  }

  end(i: number): number {
    return this.ends[i] ?? this.text.length;
  }

  flags(i: number): number {
    return this.flagList[i] ?? 0;
  }

  value(i: number): string {
    const s = this.start(i);
    const e = this.end(i);
    const f = this.flags(i);
    if ((f & WORD_QUOTED) === 0 || (f & WORD_EXPANDS) !== 0) return this.text.slice(s, e);
    return unquote(this.text, s, e);
  }

  is(i: number, s: string): boolean {
    const start = this.start(i);
    return (
      (this.flags(i) & (WORD_QUOTED | WORD_EXPANDS)) === 0 &&
      this.end(i) - start === s.length &&
      this.text.startsWith(s, start)
    );
  }
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
}

class Scanner {
  private readonly text: string;
  private readonly len: number;
  private readonly prefix: string;
  private readonly visitor: ShellVisitor;
  private pos: number;
  private depth = 0;
  private readonly buffers: CommandBuffer[] = [];
  private readonly heredocs: PendingHeredoc[] = [];

  constructor(text: string, start: number, prefix: string, visitor: ShellVisitor) {
    this.text = text;
    this.len = text.length;
    this.pos = start;
    this.prefix = prefix;
    this.visitor = visitor;
  }

  run(): void {
    this.list(END_EOF);
  }

  private code(i: number): number {
    return i < this.len ? this.text.charCodeAt(i) : -1;
  }

  private buffer(): CommandBuffer {
    let buf = this.buffers[this.depth];
    if (!buf) {
      buf = new CommandBuffer(this.text, this.depth > 0);
      this.buffers[this.depth] = buf;
    }
    buf.count = 0;
    return buf;
  }

  /** Reads commands until the end of the text or the list's terminator (consumed). */
  private list(terminator: number): void {
    const buf = this.buffer();
    const text = this.text;
    const len = this.len;
    let parens = 0;
    let pattern = false;
    while (this.pos < len) {
      const c = text.charCodeAt(this.pos);
      if (c === SP || c === TAB || c === CR) {
        this.pos++;
        continue;
      }
      if (c >= 128 || (CLASS[c] === 0 && c !== HASH)) {
        this.word(buf, terminator);
        continue;
      }
      const next = this.code(this.pos + 1);
      switch (c) {
        case NL:
          pattern = this.finish(buf, pattern);
          this.pos++;
          if (this.heredocs.length > 0) this.skipHeredocBodies();
          break;
        case HASH:
          this.skipComment(terminator);
          break;
        case SEMI:
          pattern = this.finish(buf, pattern);
          this.pos++;
          if (next === SEMI || next === AMP) {
            this.pos++;
            if (this.code(this.pos) === AMP) this.pos++;
            pattern = true;
          }
          break;
        case AMP:
          if (next === GT) {
            this.redirect(buf, terminator);
          } else {
            pattern = this.finish(buf, pattern);
            this.pos += next === AMP ? 2 : 1;
          }
          break;
        case PIPE:
          if (!pattern) this.finish(buf, false);
          this.pos += next === PIPE || next === AMP ? 2 : 1;
          break;
        case LP:
          if (next === LP) {
            this.pos += 2;
            this.arithmetic(ARITH_PARENS);
          } else if (pattern && buf.count === 0) {
            this.pos++;
          } else if (buf.count === 1 && this.isFunctionParens()) {
            buf.count = 0;
          } else {
            pattern = this.finish(buf, pattern);
            parens++;
            this.pos++;
          }
          break;
        case RP:
          this.pos++;
          if (
            (pattern && !(buf.count === 1 && buf.is(0, "esac"))) ||
            (buf.count >= 4 && buf.is(0, "case") && buf.is(2, "in"))
          ) {
            buf.count = 0;
            pattern = false;
          } else {
            this.finish(buf, false);
            if (parens > 0) parens--;
            else if (terminator === END_PAREN) return;
          }
          break;
        case LT:
        case GT:
          if (next === LP) this.word(buf, terminator);
          else this.redirect(buf, terminator);
          break;
        case BACKSLASH:
          if (next === NL) this.pos += 2;
          else if (next === CR && this.code(this.pos + 2) === NL) this.pos += 3;
          else this.word(buf, terminator);
          break;
        case BACKTICK:
          if (terminator === END_BACKTICK) {
            this.finish(buf, false);
            this.pos++;
            return;
          }
          this.word(buf, terminator);
          break;
        default:
          this.word(buf, terminator);
      }
    }
    this.finish(buf, pattern);
  }

  /** `name ()`: after the single word of a function definition, at `(`, skips `( )`. */
  private isFunctionParens(): boolean {
    let p = this.pos + 1;
    while (p < this.len && (this.text.charCodeAt(p) === SP || this.text.charCodeAt(p) === TAB)) p++;
    if (this.code(p) !== RP) return false;
    this.pos = p + 1;
    return true;
  }

  /**
   * Ends the command in `buf`: finds its command word, reports it, and empties the buffer.
   * Returns whether `case` patterns are expected next.
   */
  private finish(buf: CommandBuffer, pattern: boolean): boolean {
    const n = buf.count;
    if (n === 0) return pattern;
    const text = this.text;
    let i = 0;
    let expectPattern = pattern;
    while (i < n) {
      const s = buf.start(i);
      const e = buf.end(i);
      if (this.assignmentEnd(s, e) >= 0) {
        this.reportAssignment(s);
        i++;
        continue;
      }
      const f = buf.flags(i);
      if ((f & (WORD_QUOTED | WORD_EXPANDS)) !== 0) break;
      if (matchesAny(text, s, e, SKIPPED_WORDS)) {
        if (e - s === 4 && text.startsWith("esac", s)) expectPattern = false;
        if (e - s === 4 && text.startsWith("time", s) && i + 1 < n && buf.is(i + 1, "-p")) i++;
        i++;
        continue;
      }
      if (matchesAny(text, s, e, HEADER_WORDS)) {
        if (e - s === 8) {
          i += 2;
          continue;
        }
        if (e - s === 4) expectPattern = true;
        i = n;
      }
      break;
    }
    if (i < n) {
      buf.first = i;
      this.visitor.command(buf);
    }
    buf.count = 0;
    return expectPattern;
  }

  /**
   * If the word at `s` starts as an assignment (`NAME=`, `NAME+=`, `NAME[…]=`), the offset just
   * after its `=`; otherwise -1.
   */
  private assignmentEnd(s: number, limit: number): number {
    const text = this.text;
    if (!isNameStart(text.charCodeAt(s))) return -1;
    let p = s + 1;
    while (p < limit && isNameChar(text.charCodeAt(p))) p++;
    if (p < limit && text.charCodeAt(p) === LBRACKET) {
      let close = p + 1;
      while (close < limit && text.charCodeAt(close) !== RBRACKET) close++;
      if (close < limit) p = close + 1;
    }
    if (p < limit && text.charCodeAt(p) === PLUS) p++;
    return p < limit && text.charCodeAt(p) === EQ ? p + 1 : -1;
  }

  private reportAssignment(s: number): void {
    let e = s;
    while (e < this.len && isNameChar(this.text.charCodeAt(e))) e++;
    if (this.hasPrefix(s, e)) this.visitor.assignment(s, e);
  }

  private hasPrefix(s: number, e: number): boolean {
    return e - s >= this.prefix.length && this.text.startsWith(this.prefix, s);
  }

  /** A comment runs to the end of the line (inside backticks: or to the closing backtick). */
  private skipComment(terminator: number): void {
    let eol = this.text.indexOf("\n", this.pos);
    if (eol < 0) eol = this.len;
    if (terminator === END_BACKTICK) {
      let tick = this.pos;
      while (tick < eol && this.text.charCodeAt(tick) !== BACKTICK) tick++;
      eol = tick;
    }
    this.pos = eol;
  }

  /** Skips the bodies of the here-documents opened on the line just ended. */
  private skipHeredocBodies(): void {
    const text = this.text;
    const len = this.len;
    for (const { delimiter, stripTabs } of this.heredocs) {
      while (this.pos < len) {
        let ls = this.pos;
        let eol = text.indexOf("\n", ls);
        if (eol < 0) eol = len;
        if (stripTabs) while (ls < eol && text.charCodeAt(ls) === TAB) ls++;
        let le = eol;
        if (le > ls && text.charCodeAt(le - 1) === CR) le--;
        this.pos = eol < len ? eol + 1 : len;
        if (le - ls === delimiter.length && text.startsWith(delimiter, ls)) break;
      }
    }
    this.heredocs.length = 0;
  }

  /** A redirection operator at `pos`; its target word is scanned (for expansions) but not kept. */
  private redirect(buf: CommandBuffer, terminator: number): void {
    const n = buf.count;
    if (n > 0 && buf.end(n - 1) === this.pos && this.isFdWord(buf.start(n - 1), this.pos)) buf.count = n - 1;
    const c = this.code(this.pos);
    const next = this.code(this.pos + 1);
    if (c === LT && next === LT) {
      if (this.code(this.pos + 2) === LT) {
        this.pos += 3;
        this.target(buf, terminator);
        return;
      }
      this.pos += 2;
      const stripTabs = this.code(this.pos) === DASH;
      if (stripTabs) this.pos++;
      const delimiter = this.target(buf, terminator);
      if (delimiter !== undefined) this.heredocs.push({ delimiter, stripTabs });
      return;
    }
    this.pos++;
    if (c === AMP) this.pos++;
    const after = this.code(this.pos);
    if (after === GT || after === AMP || (c === GT && after === PIPE)) this.pos++;
    this.target(buf, terminator);
  }

  /** `2` in `2>&1`, or `{fd}` in `{fd}>file`. */
  private isFdWord(s: number, e: number): boolean {
    if (this.text.charCodeAt(s) === LBRACE) return this.text.charCodeAt(e - 1) === RBRACE;
    for (let i = s; i < e; i++) if (!isDigit(this.text.charCodeAt(i))) return false;
    return true;
  }

  /** Scans the word after a redirection operator; returns its value (used as a heredoc delimiter). */
  private target(buf: CommandBuffer, terminator: number): string | undefined {
    while (this.pos < this.len) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== SP && c !== TAB) break;
      this.pos++;
    }
    const c = this.code(this.pos);
    if (c < 0 || (c < 128 && CLASS[c] === 2)) return undefined;
    if (c === BACKTICK && terminator === END_BACKTICK) return undefined;
    const processSubstitution = (c === LT || c === GT) && this.code(this.pos + 1) === LP;
    if (c < 128 && CLASS[c] === 3 && !processSubstitution) return undefined;
    const n = buf.count;
    this.word(buf, terminator);
    if (buf.count === n) return undefined;
    const value = buf.value(n);
    buf.count = n;
    return value;
  }

  /** Reads one word into `buf`. */
  private word(buf: CommandBuffer, terminator: number): void {
    const text = this.text;
    const len = this.len;
    const start = this.pos;
    let flags = 0;
    while (this.pos < len) {
      let p = this.pos;
      let c = text.charCodeAt(p);
      while (c >= 128 || CLASS[c] === 0) {
        if (++p >= len) break;
        c = text.charCodeAt(p);
      }
      this.pos = p;
      if (p >= len) break;
      const cls = CLASS[c];
      if (cls === 1 || cls === 2) break;
      if (cls === 3) {
        if ((c === LT || c === GT) && this.pos === start && this.code(this.pos + 1) === LP) {
          this.pos += 2;
          this.nested(END_PAREN);
          flags |= WORD_EXPANDS;
          continue;
        }
        if (c === LP && this.assignmentEnd(start, this.pos) === this.pos) {
          this.arrayLiteral();
          continue;
        }
        break;
      }
      if (c === BACKSLASH) {
        flags |= WORD_QUOTED;
        this.pos = Math.min(this.pos + 2, len);
      } else if (c === SQ) {
        flags |= WORD_QUOTED;
        this.skipSingleQuoted();
      } else if (c === DQ) {
        flags |= WORD_QUOTED;
        flags |= this.doubleQuoted();
      } else if (c === DOLLAR) {
        flags |= this.dollar(false);
      } else {
        if (terminator === END_BACKTICK) break;
        this.pos++;
        this.nested(END_BACKTICK);
        flags |= WORD_EXPANDS;
      }
    }
    if (this.pos > start) buf.push(start, this.pos, flags);
    else this.pos++;
  }

  private skipSingleQuoted(): void {
    const close = this.text.indexOf("'", this.pos + 1);
    this.pos = close < 0 ? this.len : close + 1;
  }

  /** At `"`: reads to the closing quote; returns WORD_EXPANDS if something inside expands. */
  private doubleQuoted(): number {
    const text = this.text;
    const len = this.len;
    let flags = 0;
    this.pos++;
    while (this.pos < len) {
      let p = this.pos;
      let c = text.charCodeAt(p);
      while (c !== DQ && c !== BACKSLASH && c !== DOLLAR && c !== BACKTICK) {
        if (++p >= len) break;
        c = text.charCodeAt(p);
      }
      this.pos = p;
      if (p >= len) break;
      if (c === DQ) {
        this.pos++;
        return flags;
      }
      if (c === BACKSLASH) this.pos += 2;
      else if (c === DOLLAR) flags |= this.dollar(true);
      else if (c === BACKTICK) {
        this.pos++;
        this.nested(END_BACKTICK);
        flags |= WORD_EXPANDS;
      } else this.pos++;
    }
    if (this.pos > len) this.pos = len;
    return flags;
  }

  /** At `$`: reads one expansion; returns the word flags it contributes. */
  private dollar(inDouble: boolean): number {
    const next = this.code(this.pos + 1);
    if (next === LP) {
      if (this.code(this.pos + 2) === LP) {
        this.pos += 3;
        this.arithmetic(ARITH_PARENS);
      } else {
        this.pos += 2;
        this.nested(END_PAREN);
      }
      return WORD_EXPANDS;
    }
    if (next === LBRACE) {
      this.pos += 2;
      this.parameter(inDouble);
      return WORD_EXPANDS;
    }
    if (isNameStart(next)) {
      const s = this.pos + 1;
      let e = s + 1;
      while (e < this.len && isNameChar(this.text.charCodeAt(e))) e++;
      if (this.hasPrefix(s, e)) this.visitor.variable(s, e, "plain");
      this.pos = e;
      return WORD_EXPANDS;
    }
    if (!inDouble && next === SQ) {
      this.pos += 2;
      while (this.pos < this.len) {
        const c = this.text.charCodeAt(this.pos);
        if (c === SQ) break;
        this.pos += c === BACKSLASH ? 2 : 1;
      }
      this.pos = Math.min(this.pos + 1, this.len);
      return WORD_QUOTED;
    }
    if (!inDouble && next === DQ) {
      this.pos++;
      return 0;
    }
    if (isDigit(next) || next === 64 || next === 42 || next === HASH || next === 63 || next === DOLLAR) {
      this.pos += 2;
      return WORD_EXPANDS;
    }
    if (next === BANG || next === DASH) {
      this.pos += 2;
      return WORD_EXPANDS;
    }
    this.pos++;
    return 0;
  }

  /** After `${`: the name (reported if it has the prefix), a subscript, then up to the matching `}`. */
  private parameter(inDouble: boolean): void {
    if (this.depth >= MAX_NESTING) {
      this.skipBalanced(RBRACE);
      return;
    }
    this.depth++;
    this.parameterBody(inDouble);
    this.depth--;
  }

  private parameterBody(inDouble: boolean): void {
    const text = this.text;
    const len = this.len;
    let c = this.code(this.pos);
    if ((c === HASH || c === BANG) && isNameStart(this.code(this.pos + 1))) {
      this.pos++;
      c = this.code(this.pos);
    }
    if (isNameStart(c)) {
      const s = this.pos;
      let e = s + 1;
      while (e < len && isNameChar(text.charCodeAt(e))) e++;
      if (this.hasPrefix(s, e)) {
        const op = this.code(e);
        const op2 = this.code(e + 1);
        const hasDefault = op === DASH || op === EQ || (op === COLON && (op2 === DASH || op2 === EQ));
        this.visitor.variable(s, e, hasDefault ? "default" : "plain");
      }
      this.pos = e;
      if (this.code(this.pos) === LBRACKET) {
        this.pos++;
        this.arithmetic(ARITH_BRACKET);
      }
    }
    let depth = 0;
    while (this.pos < len) {
      const d = text.charCodeAt(this.pos);
      if (d === RBRACE) {
        this.pos++;
        if (depth === 0) return;
        depth--;
      } else if (d === LBRACE) {
        depth++;
        this.pos++;
      } else if (d === BACKSLASH) this.pos += 2;
      else if (d === SQ && !inDouble) this.skipSingleQuoted();
      else if (d === DQ) this.doubleQuoted();
      else if (d === DOLLAR) this.dollar(inDouble);
      else if (d === BACKTICK) {
        this.pos++;
        this.nested(END_BACKTICK);
      } else this.pos++;
    }
    if (this.pos > len) this.pos = len;
  }

  /** Inside `((…))`, `$((…))` or a subscript `[…]`: bare names are variables too. */
  private arithmetic(mode: number): void {
    if (this.depth >= MAX_NESTING) {
      this.skipBalanced(mode === ARITH_PARENS ? RP : RBRACKET);
      return;
    }
    this.depth++;
    this.arithmeticBody(mode);
    this.depth--;
  }

  private arithmeticBody(mode: number): void {
    const text = this.text;
    const len = this.len;
    let depth = 0;
    while (this.pos < len) {
      const c = text.charCodeAt(this.pos);
      if (isNameStart(c)) {
        const s = this.pos;
        let e = s + 1;
        while (e < len && isNameChar(text.charCodeAt(e))) e++;
        if (this.hasPrefix(s, e)) this.visitor.variable(s, e, "arithmetic");
        this.pos = e;
      } else if (isDigit(c)) {
        this.pos++;
        while (
          this.pos < len &&
          (isNameChar(text.charCodeAt(this.pos)) || text.charCodeAt(this.pos) === HASH)
        )
          this.pos++;
      } else if (c === LP) {
        depth++;
        this.pos++;
      } else if (c === RP) {
        this.pos++;
        if (depth > 0) depth--;
        else if (mode === ARITH_PARENS) {
          if (this.code(this.pos) === RP) this.pos++;
          return;
        }
      } else if (c === RBRACKET && mode === ARITH_BRACKET && depth === 0) {
        this.pos++;
        return;
      } else if (c === DOLLAR) this.dollar(false);
      else if (c === BACKTICK) {
        this.pos++;
        this.nested(END_BACKTICK);
      } else if (c === DQ) this.doubleQuoted();
      else if (c === SQ) this.skipSingleQuoted();
      else if (c === BACKSLASH) this.pos += 2;
      else this.pos++;
    }
    if (this.pos > len) this.pos = len;
  }

  /** `name=( … )`: elements are words, not commands. */
  private arrayLiteral(): void {
    const text = this.text;
    const len = this.len;
    this.pos++;
    let atWordStart = true;
    while (this.pos < len) {
      const c = text.charCodeAt(this.pos);
      if (c === RP) {
        this.pos++;
        return;
      }
      if (c === HASH && atWordStart) {
        const eol = text.indexOf("\n", this.pos);
        this.pos = eol < 0 ? len : eol;
        continue;
      }
      atWordStart = c === SP || c === TAB || c === NL || c === CR;
      if (c === BACKSLASH) this.pos += 2;
      else if (c === SQ) this.skipSingleQuoted();
      else if (c === DQ) this.doubleQuoted();
      else if (c === DOLLAR) this.dollar(false);
      else if (c === BACKTICK) {
        this.pos++;
        this.nested(END_BACKTICK);
      } else this.pos++;
    }
    if (this.pos > len) this.pos = len;
  }

  /** A command substitution: its commands are scanned one level deeper (or skipped, when too deep). */
  private nested(terminator: number): void {
    if (this.depth >= MAX_NESTING) {
      this.skipBalanced(terminator === END_BACKTICK ? BACKTICK : RP);
      return;
    }
    this.depth++;
    this.list(terminator);
    this.depth--;
  }

  /**
   * Past the nesting limit: skips to the `closer` (a character code) that balances what was opened,
   * counting only its own kind of bracket, so the rest of the text is still scanned.
   */
  private skipBalanced(closer: number): void {
    const text = this.text;
    const len = this.len;
    const opener = closer === RP ? LP : closer === RBRACE ? LBRACE : closer === RBRACKET ? LBRACKET : -1;
    let depth = 0;
    while (this.pos < len) {
      const c = text.charCodeAt(this.pos);
      this.pos++;
      if (c === BACKSLASH) this.pos++;
      else if (c === opener) depth++;
      else if (c === closer) {
        if (depth === 0) break;
        depth--;
      }
    }
    if (this.pos > len) this.pos = len;
  }
}

/**
 * Scans `text` from offset `start` as bash would read it, reporting simple commands and references
 * to (and leading assignments of) variables whose names start with `variablePrefix`.
 */
export function scanShell(text: string, start: number, variablePrefix: string, visitor: ShellVisitor): void {
  new Scanner(text, Math.max(0, Math.min(start, text.length)), variablePrefix, visitor).run();
}
