/** Spec §4: tokenizing a directive line (rules T1–T8), including the examples table verbatim. */
import { describe, expect, test } from "vitest";
import { collectDirectives } from "../../../../../src/frontends/slurm/read/collect-directives.ts";
import { scriptLexer } from "../../../../../src/frontends/slurm/read/lexer.ts";
import { parseScript } from "../../../../../src/frontends/slurm/read/parser.ts";
import { read, SH, the } from "./read-helper.ts";

/** The words sbatch's tokenizer makes of a script's directive lines (before getopt). */
function words(script: string): string[] {
  const cst = parseScript(scriptLexer().tokenize(script).tokens)!;
  return collectDirectives(script, cst, undefined)
    .components.flat()
    .map((a) => a.value);
}

describe("the examples of spec §4, verbatim", () => {
  test.each([
    ["#SBATCH -N 2 -n 16", ["-N", "2", "-n", "16"]],
    ['#SBATCH --job-name="my job" # comment', ["--job-name=my job"]],
    ["#SBATCH -J 'a \"b\" c'", ["-J", 'a "b" c']],
    ["#SBATCH --comment=it\\'s", ["--comment=it's"]],
    ['#SBATCH --export=ALL,MSG="a b"', ["--export=ALL,MSG=a b"]],
    ['#SBATCH --wrap="echo $HOME"', ["--wrap=echo $HOME"]],
    ["#SBATCH --output=log#%j.out", ["--output=log"]],
    ["#SBATCH --job-name=foo bar", ["--job-name=foo", "bar"]],
  ])("%s", (line, expected) => {
    expect(words(`${SH}${line}\n`)).toEqual(expected);
  });

  test("…and what the reader makes of them", () => {
    const { values, codes } = read(
      `${SH}#SBATCH -N 2 -n 16\n#SBATCH --job-name="my job" # comment\n#SBATCH --comment=it\\'s\n#SBATCH --export=ALL,MSG="a b"\n#SBATCH --wrap="echo $HOME"\n#SBATCH --output=log#%j.out\n`,
    );
    expect(values).toEqual({
      nodes: "2",
      ntasks: "16",
      "job-name": "my job",
      comment: "it's",
      export: "ALL,MSG=a b",
      output: "log",
    });
    expect(codes).toEqual(["SBATCH018@6:9"]);
  });
});

describe("rules T1–T8", () => {
  test("T1: runs of blanks (space, tab, VT, FF, CR) separate words; a no-break space does not", () => {
    expect(words(`${SH}#SBATCH \t -N\v2\f-n\r3\n`)).toEqual(["-N", "2", "-n", "3"]);
    expect(words(`${SH}#SBATCH -J a\u00a0b\n`)).toEqual(["-J", "a\u00a0b"]);
  });

  test("T2: quotes group, join adjacent text, and both kinds behave alike", () => {
    expect(words(`${SH}#SBATCH --job-name=my" "job 'x'"y"z\n`)).toEqual(["--job-name=my job", "xyz"]);
    expect(words(`${SH}#SBATCH "-J" 'it''s'\n`)).toEqual(["-J", "its"]);
    expect(words(`${SH}#SBATCH -J "a#b" 'c#d'\n`)).toEqual(["-J", "a#b", "c#d"]);
  });

  test("T3: a backslash makes the next character literal, inside quotes too", () => {
    expect(words(`${SH}#SBATCH a\\ b c\\"d "e\\"f" 'g\\'h' \\#i \\\\j\n`)).toEqual([
      "a b",
      'c"d',
      'e"f',
      "g'h",
      "#i",
      "\\j",
    ]);
  });

  test("T3: a trailing backslash is dropped", () => {
    expect(words(`${SH}#SBATCH -N 2\\\n#SBATCH -n 3 \\\n`)).toEqual(["-N", "2", "-n", "3"]);
  });

  test("T3 quirk: a backslash before a tab ends the word", () => {
    expect(words(`${SH}#SBATCH ab\\\tcd\n`)).toEqual(["ab", "cd"]);
  });

  test("T4: an unquoted, unescaped `#` ends the line, even mid-word", () => {
    expect(words(`${SH}#SBATCH --job-name=a#b -N 2\n`)).toEqual(["--job-name=a"]);
    expect(words(`${SH}#SBATCH --output=/x/#1.out\n`)).toEqual(["--output=/x/"]);
    expect(words(`${SH}#SBATCH#SBATCH -N 2\n`)).toEqual([]);
  });

  test("T5: an unmatched quote is an error at the quote; the rest of the line is its text", () => {
    const { codes, values, reading, slice } = read(`${SH}#SBATCH --job-name="my job -N 2\n#SBATCH -t 5\n`);
    expect(codes).toEqual(["SBATCH007@2:20"]);
    expect(slice(the(reading, "SBATCH007").span)).toBe('"my job -N 2');
    expect(values).toEqual({ "job-name": "my job -N 2", time: "5" });
  });

  test("T5: the CR of a CRLF is not part of an unmatched quote", () => {
    const { reading, slice, values } = read(`${SH}#SBATCH -J 'abc\r\n`);
    expect(slice(the(reading, "SBATCH007").span)).toBe("'abc");
    expect(values).toEqual({ "job-name": "abc" });
  });

  test("T6: a word starting with `:` is an error (but a quoted or escaped one is not)", () => {
    const { codes, values } = read(`${SH}#SBATCH : -N 2\n#SBATCH -J ":x" -A \\:y\n`);
    // one error: sbatch fails in the tokenizer and never reports `:` as a stray word (SBATCH013)
    expect(codes).toEqual(["SBATCH008@2:9"]);
    expect(values).toEqual({});
    expect(the(read(`${SH}#SBATCH : -N 2\n`).reading, "SBATCH008").message).toMatch(/^a lone `:`: /);
    expect(the(read(`${SH}#SBATCH :x\n`).reading, "SBATCH008").message).toMatch(/^`:x` starts with `:`: /);
    expect(read(`${SH}#SBATCH -J ":x" -A \\:y\n`).values).toEqual({ "job-name": ":x", account: ":y" });
  });

  test("T8: an attached empty value is a value", () => {
    expect(read(`${SH}#SBATCH --comment="" -N 2\n`).values).toEqual({ comment: "", nodes: "2" });
    expect(read(`${SH}#SBATCH --comment=''\n`).values).toEqual({ comment: "" });
  });

  test("T8: a lone empty word ends the line; what it drops is reported", () => {
    const { values, codes, reading, slice } = read(`${SH}#SBATCH -N 2 "" -n 4 --mem=1G\n#SBATCH -t 5\n`);
    expect(values).toEqual({ nodes: "2", time: "5" });
    expect(codes).toEqual(["SBATCH005@2:14"]);
    const d = the(reading, "SBATCH005");
    expect(d.severity).toBe("warning");
    expect(slice(d.notes[0]?.span)).toBe("-n 4 --mem=1G");
  });

  test("T8: an option before an empty word takes its value from the next line", () => {
    const { values, codes } = read(`${SH}#SBATCH --comment ""\n#SBATCH note\n`);
    expect(values).toEqual({ comment: "note" });
    expect(codes).toEqual([]);
  });

  test("spans of values point into the source through quotes and escapes", () => {
    const { reading, slice } = read(`${SH}#SBATCH --job-name="a b" -J x\\ y --comment=q\\"r\n`);
    expect(reading.occurrences.map((o) => [slice(o.nameSpan), slice(o.valueSpan), slice(o.span)])).toEqual([
      ["--job-name", '"a b"', '--job-name="a b"'],
      ["-J", "x\\ y", "-J x\\ y"],
      ["--comment", 'q\\"r', '--comment=q\\"r'],
    ]);
  });

  test("unicode in values keeps its UTF-16 offsets", () => {
    const { reading, slice, codes } = read(`${SH}#SBATCH -J 😀训练 --comment="é" # 注释\n`);
    expect(reading.occurrences.map((o) => slice(o.valueSpan))).toEqual(["😀训练", '"é"']);
    expect(codes).toEqual([]);
  });
});
