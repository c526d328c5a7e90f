/**
 * Golden tests for the submitit frontend: every `fixtures/submitit/<case>.json` is compiled and its
 * outputs compared with the files next to it — `<case>.ir.json`, `<case>.bid.json` (every bid),
 * `<case>.sh` (the first startup script) and `<case>.stderr` (rendered diagnostics), rewritten by
 * `UPDATE_GOLDEN=1`.
 *
 * `<case>.sbatch` is different: the sbatch file submitit itself renders for the parameters,
 * written by hand from spec/submitit.md §4 (one fixture per rule) and never rewritten by a tool.
 * The rendering must equal it byte for byte, and compiling it as a SLURM script must give the same
 * IR as the JSON (minus what only the JSON can say: env, cwd, cloud).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.ts";
import { renderDiagnostics } from "../../src/diagnostics/render.ts";
import { lowerSubmitit } from "../../src/frontends/submitit/lower.ts";
import type { TaskConfig } from "../../src/ir/task-config.ts";
import { createSourceFile } from "../../src/source/source-file.ts";
import { golden } from "../helpers/golden.ts";
import { bashSyntaxCheck, shellcheck } from "../helpers/shell.ts";

const DIR = "fixtures/submitit";
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith(".json") && !/\.(ir|bid)\.json$/.test(f))
  .map((f) => f.slice(0, -".json".length))
  .sort();

/** The IR fields a document sets that a batch script has no place for: env, cwd, cloud. */
function jsonOnly(text: string): string[] {
  const doc = JSON.parse(text) as { env?: unknown; cwd?: unknown; cloud?: Record<string, unknown> };
  return [...(doc.env ? ["env"] : []), ...(doc.cwd ? ["working_dir"] : []), ...Object.keys(doc.cloud ?? {})];
}

describe("golden: submitit fixtures", () => {
  test("there are good and bad fixtures, and every good one has a hand-written rendering", () => {
    expect(cases.filter((c) => c.startsWith("bad-")).length).toBeGreaterThan(10);
    const good = cases.filter((c) => !c.startsWith("bad-"));
    expect(good.length).toBeGreaterThan(15);
    for (const c of good) expect(existsSync(join(DIR, `${c}.sbatch`)), `${c}.sbatch`).toBe(true);
  });

  for (const name of cases) {
    test(name, () => {
      const file = join(DIR, `${name}.json`);
      const text = readFileSync(file, "utf8");
      const result = compile(text, {
        filename: file,
        project: "proj_V0uIRLp92vFAt2QR",
        slurm: { set: {}, env: {} },
      });
      expect(result.format).toBe("submitit");
      expect(result.ok, "bad-* fixtures fail, the others compile").toBe(!name.startsWith("bad-"));
      const base = join(DIR, name);
      golden(`${base}.ir.json`, result.ir ? `${JSON.stringify(result.ir, null, 2)}\n` : undefined);
      golden(
        `${base}.bid.json`,
        result.bids.length ? `${JSON.stringify(result.bids, null, 2)}\n` : undefined,
      );
      golden(`${base}.sh`, result.startupScripts[0]?.text);
      golden(`${base}.stderr`, renderDiagnostics(result.source, result.diagnostics) || undefined);
      for (const script of result.startupScripts) {
        bashSyntaxCheck(script.text);
        shellcheck(script.text);
      }
      // Every diagnostic of a JSON document points into it (a line and column), except the
      // backend's whole-job notes, which have no better place than the document's start.
      for (const d of result.diagnostics) {
        if (d.span) expect(d.span.end).toBeLessThanOrEqual(text.length);
        else expect(["FCP005", "FLOW001"]).toContain(d.code);
      }

      const sbatchFile = `${base}.sbatch`;
      if (!existsSync(sbatchFile)) return;
      const expected = readFileSync(sbatchFile, "utf8");
      expect(lowerSubmitit(createSourceFile(file, text), { set: {}, env: {} }).sbatch).toBe(expected);
      if (!result.ir) return;
      const asScript = compile(expected, {
        filename: sbatchFile,
        format: "slurm",
        slurm: { set: {}, env: {} },
      });
      const only = jsonOnly(text);
      const strip = (ir: object) => Object.fromEntries(Object.entries(ir).filter(([k]) => !only.includes(k)));
      // A `script` is read for its `module` commands (the batch script only writes it to a file),
      // so its modules are the one SLURM fact the rendering cannot carry.
      const fromScript = (ir: TaskConfig): TaskConfig => {
        if (!("script" in JSON.parse(text)) || ir.slurm?.modules === undefined) return ir;
        const { modules: _, ...slurm } = ir.slurm;
        return asScript.ir?.slurm?.modules === undefined ? { ...ir, slurm } : ir;
      };
      expect(asScript.ir && strip(asScript.ir)).toEqual(strip(fromScript(result.ir)));
    });
  }
});
