/**
 * Golden tests: every `fixtures/yaml/<case>.yaml` is compiled and its user-visible outputs are
 * compared with the files next to it — `<case>.ir.json`, `<case>.bid.json`, `<case>.sh` (the
 * startup script) and `<case>.stderr` (rendered diagnostics). `npm run golden:update` rewrites
 * them; review the diff. Every golden script also passes `bash -n` and shellcheck. A fixture with a
 * `<case>.code/` folder uploads that folder as its project (`upload_code`); a compressed script's
 * inner script is kept as `<case>.inner.sh` and checked the same way.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { buildCodeArchive } from "../../src/backends/fcp/code/archive.ts";
import { compile } from "../../src/compile.ts";
import { renderDiagnostics } from "../../src/diagnostics/render.ts";
import { golden } from "../helpers/golden.ts";
import { bashSyntaxCheck, shellcheck } from "../helpers/shell.ts";

const DIR = "fixtures/yaml";

/** The script a compressed bootstrap carries: its here-document, base64-decoded and gunzipped. */
function innerScript(bootstrap: string): string {
  const body = /<<'([A-Z_0-9]+)'[^\n]*\n([^\n]*)\n\1\n/.exec(bootstrap);
  if (!body?.[2]) throw new Error("no here-document in the compressed script");
  return gunzipSync(Buffer.from(body[2], "base64")).toString("utf8");
}
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
      const codeDir = join(DIR, `${name}.code`);
      const result = compile(readFileSync(file, "utf8"), {
        filename: file,
        project: "proj_V0uIRLp92vFAt2QR",
        ...(existsSync(codeDir) ? { code: () => buildCodeArchive(codeDir) } : {}),
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
      // A compressed script's inner script is kept too, so the diff of every change is readable.
      const inner = result.startupScripts[0]?.form === "compressed" ? innerScript(script ?? "") : undefined;
      golden(`${base}.inner.sh`, inner);
      for (const text of [script, inner]) {
        if (text === undefined) continue;
        bashSyntaxCheck(text);
        shellcheck(text);
      }
    });
  }
});
