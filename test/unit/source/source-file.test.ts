import { describe, expect, test } from "vitest";
import { createSourceFile, lineText, positionOf } from "../../../src/source/source-file.ts";

describe("SourceFile", () => {
  test("line starts for LF, CRLF and lone CR", () => {
    expect(createSourceFile("a", "a\nb\r\nc\rd").lineStarts).toEqual([0, 2, 5, 7]);
    expect(createSourceFile("a", "").lineStarts).toEqual([0]);
    expect(createSourceFile("a", "x\n").lineStarts).toEqual([0, 2]);
  });

  test("positions are 1-based; columns count code points", () => {
    const file = createSourceFile("f", "ab\n😀x\n");
    expect(positionOf(file, 0)).toEqual({ line: 1, column: 1 });
    expect(positionOf(file, 3)).toEqual({ line: 2, column: 1 });
    // the emoji is two UTF-16 units but one column
    expect(positionOf(file, 5)).toEqual({ line: 2, column: 2 });
    expect(positionOf(file, 999)).toEqual({ line: 3, column: 1 });
    expect(positionOf(file, -5)).toEqual({ line: 1, column: 1 });
  });

  test("lineText strips the terminator", () => {
    const file = createSourceFile("f", "one\r\ntwo\nthree");
    expect([0, 1, 2].map((i) => lineText(file, i))).toEqual(["one", "two", "three"]);
  });
});
