/**
 * Golden tests: every `fixtures/yaml/<case>.yaml` is compiled and its user-visible outputs are
 * compared with the files next to it — `<case>.ir.json`, `<case>.bid.json`, `<case>.sh` (the
 * startup script) and `<case>.stderr` (rendered diagnostics). `npm run golden:update` rewrites
 * them; review the diff. Every golden script also passes `bash -n` and shellcheck.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.ts";
import { renderDiagnostics } from "../../src/diagnostics/render.ts";
import { golden } from "../helpers/golden.ts";
import { bashSyntaxCheck, shellcheck } from "../helpers/shell.ts";

const DIR = "fixtures/yaml";
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.slice(0, -".yaml".length))
  .sort();

describe("golden: Flow YAML fixtures", () => {
  test("there are good and bad fixtures", () => {
    expect(cases.filter((c) => c.startsWith("bad-")).length).toBeGreaterThan(3);
    expect(cases.filter((c) => !c.startsWith("bad-")).length).toBeGreaterThan(3);
  });

  for (const name of cases) {
    test(name, () => {
      const file = join(DIR, `${name}.yaml`);
      const result = compile(readFileSync(file, "utf8"), {
        filename: file,
        project: "proj_V0uIRLp92vFAt2QR",
      });
      expect(result.ok, "bad-* fixtures fail, the others compile").toBe(!name.startsWith("bad-"));
      const base = join(DIR, name);
      golden(`${base}.ir.json`, result.ir ? `${JSON.stringify(result.ir, null, 2)}\n` : undefined);
      golden(
        `${base}.bid.json`,
        result.bids.length ? `${JSON.stringify(result.bids, null, 2)}\n` : undefined,
      );
      const script = result.startupScripts[0]?.text;
      golden(`${base}.sh`, script);
      golden(`${base}.stderr`, renderDiagnostics(result.source, result.diagnostics) || undefined);
      if (script !== undefined) {
        bashSyntaxCheck(script);
        shellcheck(script);
      }
    });
  }
});
