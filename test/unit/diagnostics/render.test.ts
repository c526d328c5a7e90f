import { describe, expect, test } from "vitest";
import { diagnostic, promoteWarnings } from "../../../src/diagnostics/diagnostic.ts";
import { closest, editDistance } from "../../../src/diagnostics/did-you-mean.ts";
import { diagnosticToJson, renderDiagnostic, renderDiagnostics } from "../../../src/diagnostics/render.ts";
import { createSourceFile } from "../../../src/source/source-file.ts";

const file = createSourceFile("job.yaml", "name: x\nmax_price: 10\n");

describe("render", () => {
  test("location, code frame with caret underline, notes and help", () => {
    const d = diagnostic(
      "IR003",
      "unknown field `max_price`",
      { start: 8, end: 17 },
      {
        notes: [{ message: "first here", span: { start: 0, end: 4 } }],
        suggestions: [{ message: "did you mean `max_price_per_hour`?", replacement: "max_price_per_hour" }],
      },
    );
    expect(renderDiagnostic(file, d)).toBe(
      [
        "job.yaml:2:1: error[IR003]: unknown field `max_price`",
        "  |",
        "2 | max_price: 10",
        "  | ^^^^^^^^^",
        "  = note (job.yaml:1:1): first here",
        "  = help: did you mean `max_price_per_hour`?",
      ].join("\n"),
    );
  });

  test("a point span still gets one caret; colour only when asked", () => {
    const d = diagnostic("YAML001", "boom", { start: 12, end: 12 });
    expect(renderDiagnostic(file, d)).toContain("  |     ^");
    expect(renderDiagnostic(file, d)).not.toContain("\x1b[");
    expect(renderDiagnostic(file, d, { color: true })).toContain("\x1b[");
  });

  test("summary counts errors and warnings", () => {
    const out = renderDiagnostics(file, [
      diagnostic("IR003", "a", { start: 0, end: 1 }),
      diagnostic("YAML003", "b", { start: 0, end: 1 }),
      diagnostic("YAML003", "c", { start: 0, end: 1 }),
    ]);
    expect(out.trimEnd().split("\n").at(-1)).toBe("job.yaml: 1 error, 2 warnings");
    expect(renderDiagnostics(file, [])).toBe("");
  });

  test("JSON form has offsets and line/column ranges", () => {
    const json = diagnosticToJson(file, diagnostic("IR003", "m", { start: 8, end: 17 }));
    expect(json).toMatchObject({
      code: "IR003",
      severity: "error",
      file: "job.yaml",
      span: { start: 8, end: 17 },
      range: { start: { line: 2, column: 1 }, end: { line: 2, column: 10 } },
    });
  });

  test("--strict promotes warnings, not infos", () => {
    const out = promoteWarnings([
      diagnostic("YAML003", "w", undefined),
      diagnostic("FCP002", "i", undefined),
    ]);
    expect(out.map((d) => d.severity)).toEqual(["error", "info"]);
  });
});

describe("did you mean", () => {
  test("edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
  test("aliases win, then distance, else nothing", () => {
    const fields = ["max_price_per_hour", "env", "ssh_keys", "num_instances", "name"];
    expect(closest("max_price", fields, { max_price: "max_price_per_hour" })).toBe("max_price_per_hour");
    expect(closest("nme", fields)).toBe("name");
    expect(closest("zzzzzz", fields)).toBeUndefined();
  });
});
