// Startup-script size figures (bytes, not time; `npm run bench:script`):
//  1. fixed overhead: the whole startup script of a minimal task (`command: [true]` on the host, no
//     upload), and of a minimal container task (Docker/NVIDIA toolkit install-when-missing + pull);
//  2. the largest raw user `script` that still ships within the 10,000 limit via compression, for
//     a generated training-pipeline bash script that compresses like real long bash scripts
//     (bench/realistic-script.mjs; its gzip ratio is printed), for the repository's README, docs
//     and sbatch fixtures (mostly Markdown prose: a harder case than bash), and for any files given
//     as arguments (e.g. `node bench/script.mjs /usr/share/doc/git/contrib/subtree/git-subtree.sh`).
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { compile, DEFAULT_SCRIPT_LIMIT } from "../dist/index.js";
import { realisticScript } from "./realistic-script.mjs";

const base = {
  name: "bench",
  instance_type: "a100",
  region: "eu-central1-a",
  max_price_per_hour: 2,
  upload_code: false,
};

/** The startup script of a task (given as an object; JSON is YAML), or undefined when it does not fit. */
function scriptOf(task) {
  const result = compile(JSON.stringify(task), { filename: "bench.yaml", format: "yaml" });
  return result.ok ? result.startupScripts[0] : undefined;
}

const minimal = scriptOf({ ...base, command: ["true"] });
const container = scriptOf({ ...base, image: "nvcr.io/nvidia/pytorch:24.05-py3", command: ["true"] });

/** The longest prefix of `lines` (whole lines) that compiles within the limit, by bisection. */
function largestFitting(lines) {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (scriptOf({ ...base, script: `${lines.slice(0, mid).join("\n")}\n` })) lo = mid;
    else hi = mid - 1;
  }
  const text = `${lines.slice(0, lo).join("\n")}\n`;
  return {
    text,
    bytes: Buffer.byteLength(text),
    script: scriptOf({ ...base, script: text }),
    whole: lo === lines.length,
  };
}

const pipeline = realisticScript(200_000).split("\n");
const corpus = [
  "README.md",
  "docs/architecture.md",
  "docs/slurm-emulation.md",
  ...readdirSync("fixtures/slurm")
    .filter((f) => f.endsWith(".sbatch"))
    .sort()
    .map((f) => `fixtures/slurm/${f}`),
]
  .map((f) => readFileSync(f, "utf8"))
  .join("\n")
  .split("\n");

const fmt = (n) => n.toLocaleString("en-US");
console.log(`startup-script limit: ${fmt(DEFAULT_SCRIPT_LIMIT)} bytes and characters`);
console.log(`fixed overhead, minimal host task:      ${fmt(minimal.bytes)} bytes (target <= 1,000)`);
console.log(
  `fixed overhead, minimal container task: ${fmt(container.bytes)} bytes (Docker + NVIDIA toolkit when missing, pull with retries)`,
);
const inputs = [
  ["generated training pipeline", pipeline],
  ["README + docs + sbatch fixtures (prose)", corpus],
  ...process.argv.slice(2).map((file) => [file, readFileSync(file, "utf8").split("\n")]),
];
for (const [name, lines] of inputs) {
  const fit = largestFitting(lines);
  const ratio = fit.bytes / gzipSync(fit.text, { level: 9 }).length;
  console.log(
    `largest raw script that fits via compression (${name}; gzip ${ratio.toFixed(2)}x): ${fmt(fit.bytes)} bytes` +
      ` -> ${fmt(fit.script.bytes)} shipped (${fit.script.form})${fit.whole ? " [the whole text fits]" : ""} (target >= 18,000)`,
  );
}
