/**
 * Every raw task the frontends hand to validation while compiling the fixtures (Flow YAML, SLURM
 * with their YAML round trips, submitit) gets the same verdict and value from the compiled
 * validator as from zod.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, vi } from "vitest";
import * as z from "zod/mini";
import { compile } from "../../../src/compile.ts";
import { compileSchema } from "../../../src/ir/compiled-schema.ts";
import { TaskConfigSchema } from "../../../src/ir/task-config.ts";

const raws = vi.hoisted(() => [] as unknown[]);

vi.mock("../../../src/ir/validate.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../src/ir/validate.ts")>();
  return {
    ...original,
    validateTaskConfig: (raw: unknown, spans: Parameters<typeof original.validateTaskConfig>[1]) => {
      raws.push(raw);
      return original.validateTaskConfig(raw, spans);
    },
  };
});

/** The fixture files of `dir` whose names end in `suffix` (outputs such as `.ir.json` excluded). */
function inputs(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix) && !/\.(ir|bid)\.json$/.test(f))
    .map((f) => join(dir, f));
}

test("fixtures: the compiled validator agrees with zod on every raw task", () => {
  const files = [
    ...inputs("fixtures/yaml", ".yaml"),
    ...inputs("fixtures/slurm", ".sbatch"),
    ...inputs("fixtures/slurm", ".yaml"),
    ...inputs("fixtures/submitit", ".json"),
  ];
  for (const file of files)
    compile(readFileSync(file, "utf8"), { filename: file, slurm: { set: {}, env: {} } });
  const fast = compileSchema(TaskConfigSchema);
  let accepted = 0;
  for (const raw of raws) {
    const mine = fast(raw);
    const zods = z.safeParse(TaskConfigSchema, raw);
    expect(mine !== undefined).toBe(zods.success);
    if (zods.success) {
      accepted++;
      expect(JSON.stringify(mine)).toBe(JSON.stringify(zods.data));
      expect(mine).toStrictEqual(zods.data);
    }
  }
  expect(raws.length).toBeGreaterThan(files.length / 2);
  expect(accepted).toBeGreaterThan(200);
  expect(raws.length - accepted).toBeGreaterThan(0);
});
