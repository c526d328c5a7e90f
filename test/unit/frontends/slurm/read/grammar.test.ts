/** The chevrotain definitions pass chevrotain's own checks, and the checked-in diagrams are current. */
import { readFileSync } from "node:fs";
import { Lexer } from "chevrotain";
import { describe, expect, test } from "vitest";
import { sbatchDiagramsHtml } from "../../../../../src/frontends/slurm/read/diagrams.ts";
import { SCRIPT_LEXER_DEFINITION, scriptLexer } from "../../../../../src/frontends/slurm/read/lexer.ts";
import { SbatchDirectivesParser } from "../../../../../src/frontends/slurm/read/parser.ts";

describe("the directive grammar", () => {
  test("the lexer definition passes chevrotain's validations", () => {
    const lexer = new Lexer(SCRIPT_LEXER_DEFINITION, {
      positionTracking: "onlyOffset",
      deferDefinitionErrorsHandling: true,
    });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });

  test("the parser passes chevrotain's grammar checks (it throws on a definition error)", () => {
    expect(() => new SbatchDirectivesParser(true)).not.toThrow();
  });

  test("the three lexer modes: header lines, directive words, the body as one token", () => {
    const text = '#!/bin/bash\n#SBATCH -N 2 --job-name="a b" # c\n\n  # x\nmodule load cuda\n#SBATCH -N 9\n';
    const { tokens, errors } = scriptLexer().tokenize(text);
    expect(errors).toEqual([]);
    expect(tokens.map((t) => [t.tokenType.name, t.image])).toEqual([
      ["CommentLine", "#!/bin/bash\n"],
      ["SbatchPrefix", "#SBATCH"],
      ["Argument", "-N"],
      ["Argument", "2"],
      ["Argument", '--job-name="a b"'],
      ["TrailingComment", "# c"],
      ["IndentedComment", "  # x\n"],
      ["CommandLine", "module load cuda"],
      ["Body", "\n#SBATCH -N 9\n"],
    ]);
  });

  test("grammars/sbatch-directives.html is up to date (regenerate: node scripts/gen-sbatch-diagrams.ts)", () => {
    const checkedIn = readFileSync(
      new URL("../../../../../grammars/sbatch-directives.html", import.meta.url),
      "utf8",
    );
    expect(checkedIn).toBe(sbatchDiagramsHtml());
  });
});
