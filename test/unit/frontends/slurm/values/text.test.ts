import { describe, expect, test } from "vitest";
import * as values from "../../../../../src/frontends/slurm/values/index.ts";
import { fail, ok } from "../../../../../src/frontends/slurm/values/result.ts";
import {
  asciiLookalike,
  describeChar,
  parseValue,
  placeholderHint,
  show,
} from "../../../../../src/frontends/slurm/values/text.ts";

describe("message wording shared by the parsers", () => {
  test("show quotes, spells invisible characters, shortens long values", () => {
    expect(show("16G")).toBe("`16G`");
    expect(show("")).toBe("an empty value");
    expect(show("a\u00a0b\u200bc\td")).toBe("`a\\u{A0}b\\u{200B}c\\u{9}d`");
    const long = `${"x".repeat(200)}END`;
    expect(show(long)).toBe(`\`${"x".repeat(60)}…xxxxxxxEND\``);
  });

  test("describeChar names a character", () => {
    expect(describeChar("x")).toBe("`x`");
    expect(describeChar(" ")).toBe("a space");
    expect(describeChar("\t")).toBe("a tab");
    expect(describeChar("\u0001")).toBe("the control character U+0001");
    expect(describeChar("–")).toBe("`–` (U+2013)");
    expect(describeChar("😀")).toBe("`😀` (U+1F600)");
  });

  test("look-alikes map to ASCII; other text is untouched", () => {
    expect(asciiLookalike("1\u20132")).toBe("1-2");
    expect(asciiLookalike("\uff11\uff16\uff27")).toBe("16G");
    expect(asciiLookalike("a\u00a0b")).toBe("ab");
    expect(asciiLookalike("ß😀")).toBe("ß😀");
  });

  test("placeholders of shells and templating tools", () => {
    for (const text of [
      "$N",
      `\${N}`,
      "{{nodes}}",
      "{% if %}",
      "{cpus}",
      "<my_node_count>",
      "@NNODES@",
      "%NODES%",
      "__N__",
    ]) {
      expect(placeholderHint(text), text).toBeDefined();
    }
    for (const text of ["16G", "gpu:a100:4", "%x-%j.out", "a&b"])
      expect(placeholderHint(text), text).toBeUndefined();
  });

  test("parseValue keeps only suggestions the parser accepts, and rejects non-strings", () => {
    const digits = (t: string) => (/^\d+$/.test(t) ? ok(Number(t)) : fail("not digits", ["12", "x", t]));
    expect(parseValue("a", digits)).toEqual({ ok: false, message: "not digits", suggestions: ["12"] });
    expect(parseValue(undefined, digits)).toEqual({ ok: false, message: "the value must be a string" });
  });

  test("every parser finishes on megabyte-sized values", () => {
    const big = "9".repeat(300_000);
    const inputs = [
      big,
      `${big}G`,
      `gpu:${big}`,
      `0-${big}`,
      "[".repeat(20000),
      `${"1,".repeat(30000)}1`,
      "%j".repeat(30000),
    ];
    for (const [name, parse] of Object.entries(values)) {
      if (typeof parse !== "function" || !name.startsWith("parse") || name === "parseValue") continue;
      for (const input of inputs)
        expect(typeof (parse as (t: string) => { ok: boolean })(input).ok).toBe("boolean");
    }
  });
});
