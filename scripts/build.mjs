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
// The CLI is two files: a tiny launcher that turns on Node's compile cache (V8 code for the bundle
// is then reused from the second run on), and the bundle itself.
await build({
  ...common,
  entryPoints: ["src/cli/bin.ts"],
  outfile: "dist/cli-main.js",
  minify: true,
  banner: {
    js: "import { createRequire as __flowCreateRequire } from 'node:module'; const require = __flowCreateRequire(import.meta.url);",
  },
});
// `flow slurm migrate` runs its batches in worker threads; the worker is a bundle of its own.
await build({
  ...common,
  entryPoints: ["src/cli/migrate/worker.ts"],
  outfile: "dist/migrate-worker.js",
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
