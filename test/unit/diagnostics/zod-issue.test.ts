import { describe, expect, test } from "vitest";
import * as z from "zod/mini";
import { zodIssueText } from "../../../src/diagnostics/zod-issue.ts";

const Schema = z.strictObject({
  items: z.array(z.strictObject({ n: z.number().check(z.gte(3)) })),
  name: z.string(),
});

function texts(data: unknown, reportInput: boolean): string[] {
  const parsed = z.safeParse(Schema, data, reportInput ? { reportInput: true } : {});
  return parsed.success ? [] : parsed.error.issues.map((i) => zodIssueText(i));
}

describe("zodIssueText", () => {
  test("where, what was expected, what was found", () => {
    expect(texts({ items: [{ n: 5 }, { n: 1 }], name: "x", extra: 1 }, true)).toEqual([
      "items[1].n: must be at least 3, got number 1",
      "the top level: unknown key `extra`",
    ]);
    expect(texts({ items: [] }, true)).toEqual(["name: missing (expected string)"]);
    expect(texts({ items: [], name: "é".repeat(100) + 7 }, true)).toEqual([]);
    expect(texts({ items: [], name: 7 }, true)).toEqual(["name: expected string, got number 7"]);
  });

  test("without reportInput it never claims a value is missing or was nothing", () => {
    expect(texts({ items: [{ n: 1 }], name: 7 }, false)).toEqual([
      "items[0].n: must be at least 3",
      "name: expected string",
    ]);
  });
});
