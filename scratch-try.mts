import { readFileSync } from "node:fs";
import { compile } from "/work/main/src/compile.ts";
import { renderDiagnostics } from "/work/main/src/diagnostics/render.ts";
for (const f of process.argv.slice(2)) {
  const r = compile(readFileSync(f, "utf8"), { filename: f, slurm: {} });
  console.log("=====", f, "ok:", r.ok, "bids:", r.bids.length);
  console.log(renderDiagnostics(r.source, r.diagnostics));
  if (r.ir) console.log(JSON.stringify({ ...r.ir, script: "…" }));
  console.log(r.fates.map((x) => `${x.line} ${x.text} ${x.fate}: ${x.detail}`).join("\n"));
}
