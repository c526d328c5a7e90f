import { describe, expect, test } from "vitest";
import { JsonStringMap, jsonStringBody } from "../../../../src/frontends/submitit/json-string.ts";

/** The map of the string literal of `text` that starts at `start` (default: its first `"`). */
function mapOf(text: string, start = text.indexOf('"')): JsonStringMap {
  let end = start + 1;
  while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
  return JsonStringMap.of(text, { start, end: end + 1 })!;
}

describe("JsonStringMap: decoded string offsets → file offsets", () => {
  test("decodes exactly as JSON.parse does", () => {
    for (const literal of [
      '"plain"',
      '"a\\nb\\tc\\"d\\\\e\\/f\\b\\f\\r"',
      '"caf\\u00e9 \\uD83D\\uDE00 😀 é"',
      '""',
      '"\\u0000\\ud800"',
    ]) {
      expect(mapOf(` ${literal},`).value).toBe(JSON.parse(literal));
    }
  });

  test("every decoded unit maps to the start of its spelling; spans cover whole escapes", () => {
    const text = '{"s": "a\\n\\"b\\u00e9😀c"}';
    const m = mapOf(text, text.indexOf('"a'));
    expect(m.value).toBe('a\n"bé😀c');
    const spelled = [...Array(m.value.length).keys()].map((i) => {
      const s = m.unit(i);
      return text.slice(s.start, s.end);
    });
    // 😀 is two UTF-16 units spelled as themselves: each maps to one unit of the file.
    expect(spelled).toEqual(["a", "\\n", '\\"', "b", "\\u00e9", "\ud83d", "\ude00", "c"]);
    const bc = m.span({ start: 3, end: 5 }); // `bé`
    expect(text.slice(bc.start, bc.end)).toBe("b\\u00e9");
    const all = m.span({ start: 0, end: m.value.length });
    expect(text.slice(all.start, all.end)).toBe(text.slice(m.literal.start + 1, m.literal.end - 1));
    expect(m.offset(m.value.length)).toBe(m.literal.end - 1); // the closing quote
  });

  test("no map where no valid literal is", () => {
    expect(JsonStringMap.of('x"a"', { start: 0, end: 4 })).toBeUndefined();
    expect(JsonStringMap.of('"a\\x"', { start: 0, end: 5 })).toBeUndefined();
    expect(JsonStringMap.of('"abc', { start: 0, end: 4 })).toBeUndefined();
    expect(JsonStringMap.of('"a" ', { start: 0, end: 4 })).toBeUndefined(); // span past the quote
  });

  test("jsonStringBody spells text for the inside of a JSON string", () => {
    expect(jsonStringBody('a"b\\c\n')).toBe('a\\"b\\\\c\\n');
  });
});

describe("JsonStringMap on a huge escape-heavy literal", () => {
  test("200,000 escapes of every kind: decoded as JSON.parse does, each unit at its escape", () => {
    const escapes = ["\\n", '\\"', "\\\\", "\\t", "\\u00e9", "\\uD83D\\uDE00", "a", "\\/"];
    const parts: string[] = [];
    for (let i = 0; i < 200_000; i++) parts.push(escapes[i % escapes.length]!);
    const text = `{"script": "${parts.join("")}"}`;
    const m = mapOf(text, text.indexOf('"', 10));
    const decoded = (JSON.parse(text) as { script: string }).script;
    expect(m.value).toBe(decoded);
    // The spelling of every unit decodes to that unit (both halves of a pair: their own escapes).
    for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 8, 12_345, decoded.length - 1]) {
      const s = m.unit(i);
      expect(JSON.parse(`"${text.slice(s.start, s.end)}"`), `unit ${i}`).toBe(decoded[i]);
    }
    expect(m.offset(decoded.length)).toBe(text.length - 2); // the closing quote
  });
});
