/**
 * The lexer of a batch script as sbatch scans it (spec/slurm.md §3.1–§3.3, §4), with three modes:
 *
 * - `header`: at the start of every line before the first command. A line is one token — a comment,
 *   a blank line (skipped), the first command — except a directive, whose `#SBATCH`/`#SLURM` prefix
 *   (column 0, case-sensitive) switches to `directive` mode for the rest of its line.
 * - `directive`: the words of sbatch's tokenizer (rules T1–T4): blanks separate words (skipped); a
 *   word is a run of unquoted text, quoted runs and backslash escapes, possibly ended by a lone
 *   backslash or an unterminated quote; an unquoted `#` ends the line. A word is one token; its
 *   quotes and escapes are resolved by `argument.ts`.
 * - `body`: everything after the first command, one token, matched in constant time. Only the
 *   directive region (plus the line that ends it) is ever scanned character by character.
 *
 * Blanks are C's `isspace` set without the newline (space, tab, VT, FF, CR): a CR before a newline is
 * a trailing blank, which is how CRLF files read as if their line ends were plain newlines, while
 * every token keeps its offset in the original text. Every input lexes without errors: each mode has
 * a token for any character it can meet. Built once at module load; safe to reuse.
 */
import {
  type CustomPatternMatcherFunc,
  createToken,
  type IMultiModeLexerDefinition,
  Lexer,
  type TokenType,
} from "chevrotain";

const DIRECTIVE = "directive";
const BODY = "body";

/** `#SBATCH` at column 0. */
export const SbatchPrefix = createToken({ name: "SbatchPrefix", pattern: "#SBATCH", push_mode: DIRECTIVE });
/** `#SLURM` at column 0 (legacy alias, rule D2). */
export const SlurmPrefix = createToken({ name: "SlurmPrefix", pattern: "#SLURM", push_mode: DIRECTIVE });
/** Any other line starting with `#` at column 0, the `#!` line included, with its newline. */
export const CommentLine = createToken({ name: "CommentLine", pattern: /#[^\n]*\n?/, line_breaks: true });
/** A comment after leading blanks, with its newline: never a directive (rule D1). */
export const IndentedComment = createToken({
  name: "IndentedComment",
  pattern: /[ \t\v\f\r]+#[^\n]*\n?/,
  line_breaks: true,
});
/** The first line whose first non-blank character is not `#`: scanning stops here for good (§3.3). */
export const CommandLine = createToken({
  name: "CommandLine",
  pattern: /[ \t\v\f\r]*[^ \t\v\f\r\n#][^\n]*/,
  push_mode: BODY,
});
/** An empty or blank line. */
export const BlankLine = createToken({
  name: "BlankLine",
  pattern: /[ \t\v\f\r]*\n|[ \t\v\f\r]+/,
  line_breaks: true,
  group: Lexer.SKIPPED,
});

/** The newline that ends a directive line. */
export const LineEnd = createToken({
  name: "LineEnd",
  pattern: "\n",
  line_breaks: true,
  pop_mode: true,
  group: Lexer.SKIPPED,
});
/** Unquoted blanks between words (T1). */
export const Space = createToken({ name: "Space", pattern: /[ \t\v\f\r]+/, group: Lexer.SKIPPED });
/**
 * One word (T2, T3, T5): unquoted text `[^ blanks "'\#]+`, quoted runs `"…"`/`'…'` in which `\X` is
 * X, and escapes `\X` for any X but a tab-like blank or the line end; a lone `\` (before a tab-like
 * blank, the line end or the file end) or a quote the line never closes ends the word.
 *
 * One deliberate difference: a template tag `{{ … }}` or `{% … %}` is one piece even with blanks
 * inside. sbatch would split it, but such a tag is either filled before sbatch sees the script or an
 * error (SBATCH016) — and this way the error names the whole tag instead of its fragments.
 */
export const Argument = createToken({
  name: "Argument",
  pattern:
    /(?:\{\{[^{}\n]*\}\}|\{%[^{%\n]*%\}|[^ \t\v\f\r\n"'\\#{]+|\{|"(?:[^"\\\n]|\\[^\n])*"|'(?:[^'\\\n]|\\[^\n])*'|\\[^\t\v\f\r\n])+(?:\\|["'][^\n]*)?|\\|["'][^\n]*/,
});
/** An unquoted, unescaped `#` and the rest of the line (T4). */
export const TrailingComment = createToken({ name: "TrailingComment", pattern: /#[^\n]*/ });

const restOfText: CustomPatternMatcherFunc = (text, offset) =>
  offset < text.length ? ([text.slice(offset)] as unknown as RegExpExecArray) : null;
/** Everything after the first command line. */
export const Body = createToken({ name: "Body", pattern: restOfText, line_breaks: true });

/** The token types the parser sees, in the order it declares them. */
export const PARSER_TOKENS: readonly TokenType[] = [
  SbatchPrefix,
  SlurmPrefix,
  CommentLine,
  IndentedComment,
  CommandLine,
  Argument,
  TrailingComment,
  Body,
];

/** The modes; each lists its tokens in priority order (the first pattern that matches wins). */
export const SCRIPT_LEXER_DEFINITION: IMultiModeLexerDefinition = {
  modes: {
    header: [SbatchPrefix, SlurmPrefix, CommentLine, IndentedComment, CommandLine, BlankLine],
    [DIRECTIVE]: [Space, Argument, LineEnd, TrailingComment],
    [BODY]: [Body],
  },
  defaultMode: "header",
};

let lexer: Lexer | undefined;

/**
 * The lexer, built on first use (so Flow-YAML-only processes never pay for it). Chevrotain's
 * definition checks run in a test (they cost start-up time in every process), so they are
 * skipped here.
 */
export function scriptLexer(): Lexer {
  lexer ??= new Lexer(SCRIPT_LEXER_DEFINITION, { positionTracking: "onlyOffset", skipValidations: true });
  return lexer;
}
