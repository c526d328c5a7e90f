// SLURM benchmarks (figures, never pass/fail). Run: npm run bench:slurm
//  1. compile throughput: the good fixtures/slurm scripts compiled in-process on one core, round-robin;
//     then generated scripts of the real-world shape (the migrate set's), and one minimal script
//     alone, the floor every compile pays;
//  2. `flow slurm migrate` (the bundled CLI, default jobs = cores) over 20,000 generated scripts
//     written to a temp folder: wall time, scripts per second.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { compile } from "../dist/index.js";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const seconds = Number(args.get("seconds") ?? 3);
const count = Number(args.get("scripts") ?? 20000);

const dir = "fixtures/slurm";
const inputs = readdirSync(dir)
  .filter((f) => f.endsWith(".sbatch") && !f.startsWith("bad-"))
  .sort()
  .map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), "utf8") }));
const options = { format: "slurm", slurm: { set: {}, env: {} } };
for (let i = 0; i < 200; i++)
  for (const { name, text } of inputs) compile(text, { ...options, filename: name });
let n = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
while (performance.now() - start < seconds * 1000) {
  for (const { name, text } of inputs) {
    compile(text, { ...options, filename: name });
    n++;
  }
}
const perSecond = n / ((performance.now() - start) / 1000);
// CPU time of this thread's process: what one core delivers even when other processes share it.
const cpu = process.cpuUsage(cpuStart);
const perCpuSecond = n / ((cpu.user + cpu.system) / 1e6);

// The floor: one minimal script (a GPU, a command) compiled again and again — what every compile
// costs whatever the script says (reading, lowering, validation, the startup script and its SLURM
// emulation, the bid).
const minimal = "#!/bin/bash\n#SBATCH --gres=gpu:1\npython train.py\n";
for (let i = 0; i < 2000; i++) compile(minimal, { ...options, filename: "minimal.sbatch" });
let m = 0;
const minimalStart = performance.now();
while (performance.now() - minimalStart < seconds * 1000) {
  compile(minimal, { ...options, filename: "minimal.sbatch" });
  m++;
}
const minimalPerSecond = m / ((performance.now() - minimalStart) / 1000);

// Generated scripts of the shape real ones have (sbatch-in-the-wild.md: ~8–9 directives; GPUs,
// nodes, time, CPUs, memory or an array, output or mail, partition or account; a short body).
const models = ["a100", "h100", "v100", "tesla_v100", ""];
function generated(i) {
  const model = models[i % models.length];
  const gpus = [1, 2, 4, 8][i % 4];
  return [
    "#!/bin/bash",
    `#SBATCH --job-name=job-${i}`,
    `#SBATCH --nodes=${1 + (i % 3)}`,
    `#SBATCH --gres=gpu:${model ? `${model}:` : ""}${gpus}`,
    `#SBATCH --time=${1 + (i % 47)}:00:00`,
    `#SBATCH --cpus-per-task=${4 + (i % 8)}`,
    i % 5 === 0 ? "#SBATCH --array=0-9%4" : "#SBATCH --mem=64G",
    i % 7 === 0 ? "#SBATCH --mail-type=END" : "#SBATCH --output=logs/%x-%j.out",
    i % 11 === 0 ? "#SBATCH --account=lab" : "#SBATCH --partition=gpu",
    "",
    "module load cuda/12.1",
    'echo "start $SLURM_JOB_ID on $SLURM_JOB_NODELIST"',
    "srun python train.py --seed $SLURM_ARRAY_TASK_ID",
    "",
  ].join("\n");
}

// The same shape in-process: 1,155 distinct generated scripts, round-robin (one in five is an
// array of ten tasks: ten bids and scripts).
const realistic = Array.from({ length: 1155 }, (_, i) => ({ name: `job-${i}.sbatch`, text: generated(i) }));
for (const { name, text } of realistic) compile(text, { ...options, filename: name });
let g = 0;
const realisticStart = performance.now();
while (performance.now() - realisticStart < seconds * 1000) {
  for (const { name, text } of realistic) {
    compile(text, { ...options, filename: name });
    g++;
  }
}
const realisticPerSecond = g / ((performance.now() - realisticStart) / 1000);

// 20,000 generated scripts in a folder tree, migrated by the CLI.
const root = mkdtempSync(join(tmpdir(), "flow-migrate-bench-"));
for (let i = 0; i < count; i++) {
  const sub = join(root, `team${i % 20}`);
  if (i < 20) mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, `job-${i}.sbatch`), generated(i));
}
const out = join(root, "out");
const t0 = performance.now();
const r = spawnSync(process.execPath, ["dist/cli.js", "slurm", "migrate", root, "--out", out], {
  encoding: "utf8",
});
const migrateSeconds = (performance.now() - t0) / 1000;
const summary = (r.stdout || r.stderr).trim().split("\n").at(-1);
rmSync(root, { recursive: true, force: true });

console.log(`node ${process.version}, ${inputs.length} fixture scripts`);
console.log(
  `compile throughput (in-process, one core): ${Math.round(perSecond).toLocaleString("en-US")} scripts/s wall clock, ` +
    `${Math.round(perCpuSecond).toLocaleString("en-US")} per second of process CPU time (V8 helper threads included) (target >= 20,000)`,
);
console.log(
  `generated scripts of the real-world shape (8 directives, a short body; 1 in 5 an array of 10), in-process: ${Math.round(realisticPerSecond).toLocaleString("en-US")} scripts/s`,
);
console.log(
  `one minimal script compiled repeatedly (the per-compile floor): ${Math.round(minimalPerSecond).toLocaleString("en-US")} scripts/s`,
);
console.log(
  `flow slurm migrate, ${count.toLocaleString("en-US")} generated scripts: ${migrateSeconds.toFixed(2)} s (target <= 10 s) — ${summary}`,
);
