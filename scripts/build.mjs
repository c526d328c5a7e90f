// Builds dist/: the bundled `flow` CLI (fast cold start: one file, no module resolution at run
// time), the bundled library entry, and its type declarations.
import { execFileSync } from "node:child_process";
import { chmodSync, rmSync } from "node:fs";
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
await build({
  ...common,
  entryPoints: ["src/cli/bin.ts"],
  outfile: "dist/cli.js",
  minify: true,
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __flowCreateRequire } from 'node:module'; const require = __flowCreateRequire(import.meta.url);",
  },
});
chmodSync("dist/cli.js", 0o755);
await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js", packages: "external" });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
