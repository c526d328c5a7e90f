/**
 * Properties of the instance-type grammar: printing and parsing are inverse, the parser is total
 * and agrees with an independent regular expression derived from grammars/instance-type.ebnf, every
 * suggestion is itself accepted, and canonical forms are fixed points.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  canonicalInstanceType,
  type InstanceTypeSpec,
  parseInstanceType,
  printInstanceType,
} from "../../src/ir/instance-type/index.ts";

/** The EBNF as one regular expression: an oracle written independently of the scanner. */
const GRAMMAR =
  /^(?:(?:[1-8]x)?[a-z]+[0-9]+[a-z]*|[a-z]+[0-9]+[a-z]*-[1-9][0-9]{0,3}gb\.(?:(?:sxm|pcie)\.)?[1-8]x|it_[A-Za-z0-9]+)$/;

const chars = (alphabet: string) => fc.constantFrom(...alphabet);
const lower = chars("abcdefghijklmnopqrstuvwxyz");
const digit = chars("0123456789");
const alnum = chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

const gpuModel = fc
  .tuple(
    fc.string({ unit: lower, minLength: 1, maxLength: 4 }),
    fc.string({ unit: digit, minLength: 1, maxLength: 4 }),
    fc.string({ unit: lower, maxLength: 3 }),
  )
  .map(([a, b, c]) => a + b + c);
const count = fc.integer({ min: 1, max: 8 });

const specArb: fc.Arbitrary<InstanceTypeSpec> = fc.oneof(
  fc.record({ kind: fc.constant("shorthand" as const), gpu: gpuModel, count }),
  fc.record(
    {
      kind: fc.constant("name" as const),
      gpu: gpuModel,
      memoryGb: fc.integer({ min: 1, max: 9999 }),
      socket: fc.constantFrom("sxm" as const, "pcie" as const),
      count,
    },
    { requiredKeys: ["kind", "gpu", "memoryGb", "count"] },
  ),
  fc.record({
    kind: fc.constant("fid" as const),
    fid: fc.string({ unit: alnum, minLength: 1, maxLength: 40 }).map((s) => `it_${s}`),
  }),
);

/** Strings assembled from grammar fragments and the usual mistakes: they hit both sides of the grammar. */
const FRAGMENTS = [
  "a100",
  "h100",
  "b200",
  "l40s",
  "A100",
  "H",
  "a",
  "x",
  "X",
  "×",
  "*",
  ":",
  "-",
  "_",
  ".",
  " ",
  "\t",
  "0",
  "1",
  "4",
  "8",
  "9",
  "16",
  "80",
  "192",
  "gb",
  "GB",
  "g",
  "sxm",
  "sxm4",
  "SXM",
  "pcie",
  "1x",
  "4x",
  "8x",
  "x8",
  "it_",
  "IT_",
  "it-",
  "Ms1",
  "auc_",
  "nvidia",
  "gpu",
  "ib",
  "😀",
  "\u0000",
  "İ",
  "ß",
  "\u200b",
];
const fragmentString = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 8 })
  .map((parts) => parts.join(""));

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "grapheme-composite", maxLength: 20 }),
  fragmentString,
  specArb.map(printInstanceType),
  specArb.map((s) => ` ${printInstanceType(s).toUpperCase()}`),
);

describe("instance-type grammar properties", () => {
  test.prop([specArb], { numRuns: 2000 })("parse(print(spec)) is spec, and printing is stable", (spec) => {
    const text = printInstanceType(spec);
    const parsed = parseInstanceType(text);
    expect(parsed).toEqual({ ok: true, spec });
    if (parsed.ok) expect(printInstanceType(parsed.spec)).toBe(text);
  });

  test.prop([anyString], { numRuns: 5000 })(
    "the parser is total: ok, or a non-empty message with accepted suggestions",
    (text) => {
      const parsed = parseInstanceType(text);
      if (parsed.ok) return;
      expect(parsed.message.length).toBeGreaterThan(0);
      for (const suggestion of parsed.suggestions) {
        expect(suggestion).not.toBe(text);
        expect(parseInstanceType(suggestion).ok).toBe(true);
      }
    },
  );

  test.prop([anyString], { numRuns: 5000 })("the parser accepts exactly what the EBNF derives", (text) => {
    expect(parseInstanceType(text).ok).toBe(GRAMMAR.test(text));
  });

  test.prop([anyString], { numRuns: 5000 })(
    "the canonical form of an accepted input is accepted and canonical",
    (text) => {
      const canonical = canonicalInstanceType(text);
      if (canonical === undefined) return;
      expect(parseInstanceType(canonical).ok).toBe(true);
      expect(canonicalInstanceType(canonical)).toBe(canonical);
    },
  );

  test.prop([specArb.map(printInstanceType), fc.constantFrom(" ", "\n", "\t")])(
    "surrounding whitespace is rejected with the trimmed spelling as the suggestion",
    (text, ws) => {
      const parsed = parseInstanceType(`${ws}${text}${ws}`);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.suggestions).toEqual([text]);
    },
  );

  test.prop([specArb.filter((s) => s.kind !== "fid").map(printInstanceType)])(
    "upper case is rejected with the lowercase spelling as the suggestion",
    (text) => {
      const parsed = parseInstanceType(text.toUpperCase());
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.suggestions).toEqual([text]);
    },
  );
});
