/**
 * The grammar of a batch script's directive region (spec/slurm.md §3–§4) as a chevrotain CstParser:
 *
 *   script    ::= ( directive | comment )* body?
 *   directive ::= ( SbatchPrefix | SlurmPrefix ) Argument* TrailingComment?
 *   body      ::= CommandLine Body?
 *
 * Blank lines, blanks between words and the newline that ends a directive are skipped by the lexer
 * (it still uses the newline to leave directive mode); a directive ends where the next header token
 * begins. The lexer's modes guarantee that every token sequence it produces is a sentence of this
 * grammar, so parsing never fails. One parser instance, built at module load, serves every call.
 */
import { type CstNode, CstParser, type IToken } from "chevrotain";
import {
  Argument,
  Body,
  CommandLine,
  CommentLine,
  IndentedComment,
  PARSER_TOKENS,
  SbatchPrefix,
  SlurmPrefix,
  TrailingComment,
} from "./lexer.ts";

/**
 * The CstParser of the directive region; `script` is the entry rule. Chevrotain's grammar checks
 * cost start-up time, so only a test asks for them (`validate`).
 */
export class SbatchDirectivesParser extends CstParser {
  constructor(validate = false) {
    super([...PARSER_TOKENS], { recoveryEnabled: false, maxLookahead: 1, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  readonly script = this.RULE("script", () => {
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.directive) },
        { ALT: () => this.CONSUME(CommentLine, { LABEL: "comment" }) },
        { ALT: () => this.CONSUME(IndentedComment, { LABEL: "comment" }) },
      ]),
    );
    this.OPTION(() => this.SUBRULE(this.body));
  });

  readonly directive = this.RULE("directive", () => {
    this.OR([
      { ALT: () => this.CONSUME(SbatchPrefix, { LABEL: "prefix" }) },
      { ALT: () => this.CONSUME(SlurmPrefix, { LABEL: "prefix" }) },
    ]);
    this.MANY(() => this.CONSUME(Argument));
    this.OPTION(() => this.CONSUME(TrailingComment));
  });

  readonly body = this.RULE("body", () => {
    this.CONSUME(CommandLine);
    this.OPTION(() => this.CONSUME(Body));
  });
}

let parser: SbatchDirectivesParser | undefined;

/**
 * The one parser instance, built on first use: its self-analysis costs milliseconds that a
 * process compiling only Flow YAML should not pay at start-up.
 */
export function sbatchParser(): SbatchDirectivesParser {
  parser ??= new SbatchDirectivesParser();
  return parser;
}

/** Parses lexed tokens into the `script` CST; undefined only if the grammar and lexer disagree (a bug). */
export function parseScript(tokens: IToken[]): CstNode | undefined {
  const p = sbatchParser();
  p.input = tokens;
  const cst = p.script();
  return p.errors.length === 0 ? cst : undefined;
}
