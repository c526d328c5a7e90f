// Builds dist/: the bundled `flow` CLI (fast cold start: one file, no module resolution at run
// time), the bundled library entry, and its type declarations.
import { execFileSync } from "node:child_process";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  legalComments: "none",
  logLevel: "warning",
};
// The CLI: a tiny launcher (dist/cli.js, below) that turns on Node's compile cache — V8 code for the
// bundle is then reused from the second run on — then the bundle itself, split so that the SLURM
// frontend is a chunk loaded only for SLURM scripts, and the `flow slurm migrate` worker thread.
await build({
  ...common,
  entryPoints: { "cli-main": "src/cli/bin.ts", "migrate-worker": "src/cli/migrate/worker.ts" },
  // yaml's ES-module build (the same code as its CommonJS `node` build): the bundle keeps only
  // what flow calls, and no CommonJS wrapper runs at start-up.
  alias: { yaml: "./node_modules/yaml/browser/index.js" },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunk-[hash]",
  minify: true,
  banner: {
    js: "import { createRequire as __flowCreateRequire } from 'node:module'; const require = __flowCreateRequire(import.meta.url);",
  },
});
writeFileSync(
  "dist/cli.js",
  `#!/usr/bin/env node
import module from "node:module";
module.enableCompileCache?.();
await import("./cli-main.js");
`,
);
chmodSync("dist/cli.js", 0o755);
await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js", packages: "external" });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
