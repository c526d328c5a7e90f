import { describe, expect, test } from "vitest";
import { parseExport } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

describe("--export (spec §8.9)", () => {
  test("keywords, any case", () => {
    expect(accepted(parseExport("ALL"))).toEqual({ mode: "all", vars: [] });
    expect(accepted(parseExport("all"))).toEqual({ mode: "all", vars: [] });
    expect(accepted(parseExport("NONE"))).toEqual({ mode: "none", vars: [] });
    expect(accepted(parseExport("none"))).toEqual({ mode: "none", vars: [] });
    expect(accepted(parseExport("NIL"))).toEqual({ mode: "nil", vars: [] });
  });

  test("the spec's table: A,B=x and ALL,B=x (explicit value wins)", () => {
    expect(accepted(parseExport("A,B=x"))).toEqual({
      mode: "none",
      vars: [{ name: "A" }, { name: "B", value: "x" }],
    });
    expect(accepted(parseExport("ALL,B=x"))).toEqual({ mode: "all", vars: [{ name: "B", value: "x" }] });
    expect(accepted(parseExport("ALL,NCCL_SOCKET_IFNAME=eth0"))).toEqual({
      mode: "all",
      vars: [{ name: "NCCL_SOCKET_IFNAME", value: "eth0" }],
    });
    expect(accepted(parseExport("MYLIB,HOMEPACK,TESTDIR")).vars.map((v) => v.name)).toEqual([
      "MYLIB",
      "HOMEPACK",
      "TESTDIR",
    ]);
  });

  test('quoting per find_quote_token: B=a,b is two items, "B=a,b" one', () => {
    expect(accepted(parseExport("B=a,b")).vars).toEqual([{ name: "B", value: "a" }, { name: "b" }]);
    expect(accepted(parseExport('"B=a,b"')).vars).toEqual([{ name: "B", value: "a,b" }]);
    expect(accepted(parseExport("'A=1'")).vars).toEqual([{ name: "A", value: "1" }]);
    expect(accepted(parseExport("A='x,y'")).vars).toEqual([{ name: "A", value: "'x,y'" }]);
    expect(notesOf(parseExport('B="x"'))).toEqual([
      'the quotes in `B="x"` are part of the value (only a whole item in quotes loses them)',
    ]);
    expect(notesOf(parseExport('A="x,y'))).toContain(
      '`A="x,y` has an unmatched quote: sbatch reads to the end of the value',
    );
    expect(accepted(parseExport('A="x,y')).vars).toEqual([{ name: "A", value: '"x,y' }]);
  });

  test("later items replace earlier ones; NAME= is empty", () => {
    expect(accepted(parseExport("A=1,A=2")).vars).toEqual([{ name: "A", value: "2" }]);
    expect(notesOf(parseExport("A=1,A=2"))).toEqual(["`A` is given more than once: the last one wins"]);
    expect(accepted(parseExport("A=")).vars).toEqual([{ name: "A", value: "" }]);
    expect(accepted(parseExport("A=b=c")).vars).toEqual([{ name: "A", value: "b=c" }]);
  });

  test("NONE inside a list is a variable", () => {
    expect(accepted(parseExport("NONE,A=1"))).toEqual({
      mode: "none",
      vars: [{ name: "NONE" }, { name: "A", value: "1" }],
    });
    expect(notesOf(parseExport("NONE,A=1"))).toEqual([
      "`NONE` inside a list is a variable name, not the `NONE` keyword",
    ]);
  });

  test("errors and edge cases", () => {
    expect(rejected(parseExport("")).message).toBe(
      "the export list is empty: write `ALL`, `NONE`, or variables such as `A,B=x`",
    );
    expect(rejected(parseExport("=x")).message).toBe("`=x` has no variable name before `=`");
    expect(rejected(parseExport("A,=x")).message).toBe("`=x` in `A,=x` has no variable name before `=`");
    expect(accepted(parseExport("A,,B")).vars).toEqual([{ name: "A" }, { name: "B" }]);
    expect(notesOf(parseExport("my var=1"))).toEqual(["`my var` is not a valid shell variable name"]);
    expect(accepted(parseExport("MSG=a b")).vars).toEqual([{ name: "MSG", value: "a b" }]);
    expect(accepted(parseExport("GREETING=héllo 🚀")).vars).toEqual([
      { name: "GREETING", value: "héllo 🚀" },
    ]);
  });
});
