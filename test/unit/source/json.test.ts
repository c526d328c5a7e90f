import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { type JsonCodes, jsonEscapeAt, MAX_JSON_DEPTH, readJson, toPlain } from "../../../src/source/json.ts";

/** The submitit frontend's codes (any pair works; the tests match these). */
const SUBMITIT_JSON: JsonCodes = { syntax: "SUBMITIT001", duplicate: "SUBMITIT002" };

const errorOf = (text: string) => {
  const r = readJson(text, SUBMITIT_JSON);
  expect(r.root).toBeUndefined();
  const d = r.diagnostics.find((x) => x.code === "SUBMITIT001");
  expect(d).toBeDefined();
  return d!;
};

describe("readJson", () => {
  test("reads values with spans of keys and values", () => {
    const text = '{ "a": [1, -2.5e3, "x\\n\\u00e9"], "b": {"c": null, "d": true} }';
    const r = readJson(text, SUBMITIT_JSON);
    expect(r.diagnostics).toEqual([]);
    expect(toPlain(r.root!)).toEqual(JSON.parse(text));
    const root = r.root!;
    if (root.kind !== "object") throw new Error("object expected");
    const a = root.entries[0]!;
    expect(text.slice(a.keySpan.start, a.keySpan.end)).toBe('"a"');
    expect(text.slice(a.value.span.start, a.value.span.end)).toBe('[1, -2.5e3, "x\\n\\u00e9"]');
    if (a.value.kind !== "array") throw new Error("array expected");
    const n = a.value.items[1]!;
    expect(n.kind === "number" && n.text).toBe("-2.5e3");
  });

  test("a byte-order mark is skipped; offsets stay those of the text", () => {
    const r = readJson('\uFEFF{"a": 1}', SUBMITIT_JSON);
    expect(r.root?.kind).toBe("object");
    if (r.root?.kind === "object") expect(r.root.entries[0]!.keySpan.start).toBe(2);
  });

  test("syntax errors are worded for the usual mistakes, at their place", () => {
    expect(errorOf('{"a": 1,}').message).toContain("trailing comma");
    expect(errorOf("[1, 2,]").message).toContain("trailing comma");
    expect(errorOf('{"a": 1 // c\n}').message).toContain("no comments");
    expect(errorOf("{'a': 1}").message).toContain("double quotes");
    expect(errorOf("{a: 1}").message).toContain("key `a` must be in double quotes");
    expect(errorOf('{"a": True}').message).toContain("Python");
    expect(errorOf('{"a": None}').suggestions[0]?.message).toContain("null");
    expect(errorOf('{"a": NaN}').message).toContain("not a JSON number");
    expect(errorOf('{"a": 01}').message).toContain("invalid number");
    expect(errorOf('{"a": 1e999}').message).toContain("out of range");
    expect(errorOf('{"a": "x\ny"}').message).toContain("line break");
    expect(errorOf('{"a": "\\q"}').message).toContain("invalid escape");
    expect(errorOf('{"a": "x').message).toContain("unterminated string");
    expect(errorOf('{"a" 1}').message).toContain("expected `:`");
    expect(errorOf('{"a": 1 "b": 2}').message).toContain("missing `,`");
    expect(errorOf('{"a": 1} x').message).toContain("after the end");
    expect(errorOf("").message).toContain("empty");
    const d = errorOf('{\n  "a": 1,\n}');
    expect(d.span).toEqual({ start: 10, end: 11 });
  });

  test("duplicate keys: an error at the later key with a note at the first; the later value is kept", () => {
    const text = '{"a": 1, "b": 2, "a": 3}';
    const r = readJson(text, SUBMITIT_JSON);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.code).toBe("SUBMITIT002");
    expect(d.span).toEqual({ start: 17, end: 20 });
    expect(d.notes[0]?.span).toEqual({ start: 1, end: 4 });
    expect(toPlain(r.root!)).toEqual({ a: 3, b: 2 });
  });

  test("`__proto__` is an ordinary key", () => {
    const plain = toPlain(readJson('{"__proto__": {"x": 1}}', SUBMITIT_JSON).root!) as Record<
      string,
      unknown
    >;
    expect(Object.keys(plain)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
  });

  test(`nesting beyond ${MAX_JSON_DEPTH} levels is one error, not a stack overflow`, () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(errorOf(deep).message).toContain(`nested more than ${MAX_JSON_DEPTH}`);
    expect(
      readJson(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`, SUBMITIT_JSON).root,
    ).toBeDefined();
  });

  fcTest.prop([fc.jsonValue({ maxDepth: 6 })])("agrees with JSON.parse on any JSON text", (value) => {
    const text = JSON.stringify(value, null, 1);
    const r = readJson(text, SUBMITIT_JSON);
    expect(r.diagnostics).toEqual([]);
    expect(toPlain(r.root!)).toEqual(JSON.parse(text));
  });

  fcTest.prop([fc.string({ maxLength: 200 })])(
    "never throws, and fails exactly when JSON.parse fails",
    (text) => {
      const r = readJson(text, SUBMITIT_JSON);
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      // JSON.parse accepts a few things flow's reader reports (none here: duplicates are valid JSON).
      expect(r.root !== undefined).toBe(parses);
    },
  );
});

const accepts = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("readJson agrees with JSON.parse on what is JSON (the catalog file relies on it)", () => {
  fcTest.prop([fc.json()])("valid JSON has no error", (text) => {
    expect(readJson(text, SUBMITIT_JSON).root).toBeDefined();
  });

  fcTest.prop(
    [
      fc.oneof(
        fc.string(),
        fc
          .array(
            fc.constantFrom(
              "{",
              "}",
              "[",
              "]",
              '"a"',
              ":",
              ",",
              "1",
              "-",
              "0",
              ".5",
              "e3",
              "tru",
              "null",
              " ",
              "\\",
              '"',
            ),
            {
              maxLength: 12,
            },
          )
          .map((p) => p.join("")),
        fc.json().chain((j) => fc.nat(j.length).map((n) => j.slice(0, n))),
      ),
    ],
    { numRuns: 3000 },
  )("finds an error exactly when JSON.parse rejects, at an offset inside the text", (text) => {
    if (text.charCodeAt(0) === 0xfeff) return; // a byte-order mark is skipped on purpose
    const read = readJson(text, SUBMITIT_JSON);
    expect(read.root !== undefined).toBe(accepts(text));
    const error = read.root === undefined ? read.diagnostics.at(-1) : undefined;
    if (error) {
      expect(error.code).toBe("SUBMITIT001");
      expect(error.span!.start).toBeGreaterThanOrEqual(0);
      expect(error.span!.start).toBeLessThanOrEqual(text.length);
    }
  });
});

describe("readJson options and the bare syntax error", () => {
  test("maxDepth: deeper documents are read; the default stays MAX_JSON_DEPTH", () => {
    const deep = `${"[".repeat(500)}${"]".repeat(500)}`;
    expect(readJson(deep, SUBMITIT_JSON).root).toBeUndefined();
    const r = readJson(deep, SUBMITIT_JSON, { maxDepth: 1000 });
    expect(r.diagnostics).toEqual([]);
    expect(r.root).toBeDefined();
    const tooDeep = readJson(deep, SUBMITIT_JSON, { maxDepth: 100 });
    expect(tooDeep.syntaxError).toMatchObject({
      message: "nested more than 100 levels deep",
      span: { start: 100, end: 101 },
    });
  });

  test("syntaxError: the stopping error's message without the `JSON syntax: ` prefix, and its span", () => {
    const text = '{"a": [1 2]}';
    const r = readJson(text, SUBMITIT_JSON);
    expect(r.syntaxError).toEqual({ message: "expected `,` or `]`, found `2`", span: { start: 9, end: 10 } });
    expect(r.diagnostics.at(-1)?.message).toBe(`JSON syntax: ${r.syntaxError!.message}`);
    expect(readJson('{"a": 1}', SUBMITIT_JSON).syntaxError).toBeUndefined();
  });

  test("after an item: `,` continues, the closing bracket ends, anything else is an error", () => {
    expect(errorOf('{"a": 1 "b": 2}').message).toBe("JSON syntax: missing `,` between entries");
    expect(errorOf('{"a": 1 x}').message).toBe("JSON syntax: expected `,` or `}`, found `x`");
    expect(errorOf('["a" "b"]').message).toBe('JSON syntax: expected `,` or `]`, found `"`');
    expect(errorOf("[1,]").message).toBe("JSON syntax: trailing comma before `]`");
    expect(errorOf('{"a": 1,}').message).toBe("JSON syntax: trailing comma before `}`");
    expect(toPlain(readJson('{"a": [1, {"b": []}], "c": {}}', SUBMITIT_JSON).root!)).toEqual({
      a: [1, { b: [] }],
      c: {},
    });
  });
});

describe("jsonEscapeAt: the one decoding of string escapes", () => {
  test("decodes every JSON escape to the unit JSON.parse gives, with its end", () => {
    for (const spelled of ['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]) {
      expect(jsonEscapeAt(`x${spelled}y`, 1)).toEqual({ unit: JSON.parse(`"${spelled}"`), end: 3 });
    }
    for (const spelled of ["\\u00e9", "\\u00E9", "\\uD83D", "\\u0000", "\\uffff"]) {
      expect(jsonEscapeAt(`x${spelled}y`, 1)).toEqual({ unit: JSON.parse(`"${spelled}"`), end: 7 });
    }
  });

  test("undefined where no valid escape starts", () => {
    for (const text of ["\\", "\\x", "\\u12", "\\u12G4", "\\U0041", "\\u 123"])
      expect(jsonEscapeAt(text, 0), text).toBeUndefined();
  });
});
