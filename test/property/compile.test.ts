/**
 * Invariants of the whole pipeline on arbitrary input: compile never throws, every span lies
 * inside the file, errors and artefacts exclude each other, and output is deterministic.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { compile } from "../../src/compile.ts";
import { TASK_CONFIG_FIELDS } from "../../src/ir/task-config.ts";

function checkInvariants(text: string) {
  const result = compile(text, { filename: "p.yaml", format: "yaml" });
  for (const d of result.diagnostics) {
    if (!d.span) continue;
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
  if (result.ok) {
    expect(result.bids.length).toBe(1);
    expect(result.startupScripts[0]!.bytes).toBeLessThanOrEqual(10_000);
  } else {
    expect(result.bids).toEqual([]);
    expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
  }
  expect(JSON.stringify(compile(text, { filename: "p.yaml", format: "yaml" }))).toBe(JSON.stringify(result));
}

const scalar = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("a100", "8xh100", "A100", "it_5ECSoHQjLBzrp5YM", "/data", "yes", "1.10"),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("name", "size_gb", "mount_path", "volume_id", "A", "B"), scalar, {
    maxKeys: 3,
  }),
);
const task = fc.dictionary(
  fc.oneof(fc.constantFrom(...TASK_CONFIG_FIELDS), fc.string({ maxLength: 8 })),
  value,
  {
    maxKeys: 8,
  },
);

describe("compile on arbitrary input", () => {
  test("arbitrary text never throws", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), checkInvariants), { numRuns: 300 });
  });

  test("arbitrary YAML mappings of TaskConfig-like fields never throw", () => {
    fc.assert(
      fc.property(task, (t) => checkInvariants(stringify(t))),
      { numRuns: 300 },
    );
  });

  test("valid tasks always compile to a bid", () => {
    const valid = fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      instance_type: fc.constantFrom("a100", "2xa100", "4xa100", "8xa100", "8xh100", "a100-80gb.sxm.2x"),
      command: fc
        .tuple(
          fc.string({ unit: "grapheme", minLength: 1 }),
          fc.array(fc.string({ unit: "grapheme" }), { maxLength: 3 }),
        )
        .map(([program, args]) => [program, ...args]),
      env: fc.dictionary(
        fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/),
        fc.string({ unit: "grapheme", maxLength: 30 }),
        {
          maxKeys: 4,
        },
      ),
      upload_code: fc.constant(false),
      max_price_per_hour: fc.double({ min: 0.01, max: 500, noNaN: true }),
    });
    fc.assert(
      fc.property(valid, (t) => {
        const env = Object.fromEntries(
          Object.entries(t.env).filter(([k]) => !/TOKEN|SECRET|KEY|PASSWORD/.test(k)),
        );
        const text = stringify({ ...t, env });
        const result = compile(text, { filename: "v.yaml", format: "yaml" });
        expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(result.ok).toBe(true);
        checkInvariants(text);
      }),
      { numRuns: 150 },
    );
  });
});
