/**
 * Golden tests for the SLURM frontend: every `fixtures/slurm/<case>.sbatch` is compiled and its
 * outputs compared with the files next to it — `<case>.ir.json`, `<case>.bid.json` (every bid),
 * `<case>.sh` (the first startup script), `<case>.stderr` (rendered diagnostics) and `<case>.yaml`
 * (what `flow slurm convert` writes). Every startup script (all array tasks) passes `bash -n` and
 * shellcheck, and the converted YAML compiles back to the same IR.
 *
 * An optional sidecar `<case>.env` holds sbatch's input environment (spec §9), one `KEY=VALUE` per
 * line (blank lines and `#` comments skipped; the value is everything after the first `=`); it is
 * passed as `slurm.env`, so `SBATCH_*` variables override the script's directives as in sbatch.
 * An optional `<case>.options.json` adds SLURM lowering options (`{"ignoreDependencies": true}`, as
 * `--ignore-dependencies` gives).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.ts";
import { renderDiagnostics } from "../../src/diagnostics/render.ts";
import { toFlowYaml } from "../../src/frontends/slurm/convert.ts";
import type { SlurmLowerOptions } from "../../src/frontends/slurm/lower.ts";
import { golden } from "../helpers/golden.ts";
import { bashSyntaxCheck, shellcheck } from "../helpers/shell.ts";

const DIR = "fixtures/slurm";

/** The `<case>.env` sidecar as a map (empty when there is none). */
function sidecarEnv(base: string): Record<string, string> {
  const file = `${base}.env`;
  if (!existsSync(file)) return {};
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`${file}: not KEY=VALUE: ${line}`);
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}
/** The `<case>.options.json` sidecar: lowering options the CLI would pass (none when absent). */
function sidecarOptions(base: string): SlurmLowerOptions {
  const file = `${base}.options.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SlurmLowerOptions) : {};
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith(".sbatch"))
  .map((f) => f.slice(0, -".sbatch".length))
  .sort();

describe("golden: SLURM fixtures", () => {
  test("there are good and bad fixtures", () => {
    expect(cases.filter((c) => c.startsWith("bad-")).length).toBeGreaterThan(3);
    expect(cases.filter((c) => !c.startsWith("bad-")).length).toBeGreaterThan(3);
  });

  for (const name of cases) {
    test(name, () => {
      const file = join(DIR, `${name}.sbatch`);
      const base = join(DIR, name);
      const result = compile(readFileSync(file, "utf8"), {
        filename: file,
        project: "proj_V0uIRLp92vFAt2QR",
        slurm: { set: {}, env: sidecarEnv(base), ...sidecarOptions(base) },
      });
      expect(result.format).toBe("slurm");
      expect(result.ok, "bad-* fixtures fail, the others compile").toBe(!name.startsWith("bad-"));
      golden(`${base}.ir.json`, result.ir ? `${JSON.stringify(result.ir, null, 2)}\n` : undefined);
      golden(
        `${base}.bid.json`,
        result.bids.length ? `${JSON.stringify(result.bids, null, 2)}\n` : undefined,
      );
      golden(`${base}.sh`, result.startupScripts[0]?.text);
      golden(`${base}.stderr`, renderDiagnostics(result.source, result.diagnostics) || undefined);
      const yaml = result.ok && result.ir ? toFlowYaml(result.ir, result.fates, file) : undefined;
      golden(`${base}.yaml`, yaml);
      for (const script of result.startupScripts) {
        bashSyntaxCheck(script.text);
        shellcheck(script.text);
      }
      if (yaml !== undefined) {
        const back = compile(yaml, { filename: `${base}.yaml`, format: "yaml" });
        expect(back.ir).toEqual(result.ir);
      }
      // every directive line of the script has a fate
      const directiveLines = readFileSync(file, "utf8")
        .split("\n")
        .flatMap((l, i) => (/^\s*#+\s*(SBATCH|sbatch|SLURM)/.test(l) ? [i + 1] : []));
      const fated = new Set(result.fates.map((f) => f.line));
      for (const line of directiveLines)
        expect(
          fated.has(line) ||
            result.diagnostics.some(
              (d) => d.span && result.source.text.slice(0, d.span.start).split("\n").length === line,
            ),
          `line ${line} has a fate or a diagnostic`,
        ).toBe(true);
    });
  }
});
