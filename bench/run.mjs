// Benchmarks (figures, never pass/fail). Run: npm run bench
//  1. compiles per second: every good Flow YAML fixture compiled in-process, round-robin, after warm-up;
//  2. cold start: `flow compile examples/hello.yaml --emit -` (the bundled CLI) against `node -e 0`,
//     measured side by side (interleaved runs, same Node binary), reported as medians and their ratio;
//     also without Node's compile cache, i.e. what the very first run after install costs.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { compile } from "../dist/index.js";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const seconds = Number(args.get("seconds") ?? 3);
const coldRuns = Number(args.get("runs") ?? 30);

const dir = "fixtures/yaml";
const inputs = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml") && !f.startsWith("bad-"))
  .sort()
  .map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), "utf8") }));

for (let i = 0; i < 200; i++) for (const { name, text } of inputs) compile(text, { filename: name });
let count = 0;
const start = performance.now();
const deadline = start + seconds * 1000;
while (performance.now() < deadline) {
  for (const { name, text } of inputs) {
    if (!compile(text, { filename: name }).ok) throw new Error(`${name} no longer compiles`);
    count++;
  }
}
const elapsed = (performance.now() - start) / 1000;
const perSecond = count / elapsed;

function timeOnce(argv, env = process.env) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"], env });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const cli = ["dist/cli.js", "compile", "examples/hello.yaml", "--emit", "-"];
for (let i = 0; i < 3; i++) {
  timeOnce(["-e", "0"]);
  timeOnce(cli);
}
const noCache = { ...process.env, NODE_DISABLE_COMPILE_CACHE: "1" };
const bare = [];
const flow = [];
const flowNoCache = [];
for (let i = 0; i < coldRuns; i++) {
  bare.push(timeOnce(["-e", "0"]));
  flow.push(timeOnce(cli));
  flowNoCache.push(timeOnce(cli, noCache));
}
const bareMs = median(bare);
const flowMs = median(flow);
const flowNoCacheMs = median(flowNoCache);

console.log(`node ${process.version}, ${inputs.length} fixtures`);
console.log(
  `compiles per second (in-process): ${Math.round(perSecond).toLocaleString("en-US")} (${count} compiles in ${elapsed.toFixed(2)} s)`,
);
console.log(
  `cold start, median of ${coldRuns}: node -e 0 ${bareMs.toFixed(1)} ms, flow compile ${flowMs.toFixed(1)} ms, ratio ${(flowMs / bareMs).toFixed(2)}x (target <= 2.5x)`,
);
console.log(
  `  without Node's compile cache (a first run): ${flowNoCacheMs.toFixed(1)} ms, ratio ${(flowNoCacheMs / bareMs).toFixed(2)}x`,
);
