// Mutation fuzzing of compile() (figures, never pass/fail): every fixture of every format, mutated
// with sbatch/YAML/JSON-significant pieces, compiled under each format; a throw is a crash, a bug.
// Run: npm run fuzz (SECS=60 by default; the seed is fixed, so a run is repeatable).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const { compile } = await import("../dist/index.js");

const files = [];
for (const d of ["yaml", "slurm", "submitit"])
  for (const f of readdirSync(`fixtures/${d}`))
    if (/\.(yaml|sbatch|json)$/.test(f) && !f.endsWith(".ir.json") && !f.endsWith(".bid.json"))
      files.push(readFileSync(join(`fixtures/${d}`, f), "utf8"));
let seed = 12345;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const pieces = [
  "\n",
  "#SBATCH ",
  "--",
  "=",
  "'",
  '"',
  "\\",
  "{",
  "}",
  "[",
  "]",
  ":",
  ",",
  "%",
  "$",
  "\u0000",
  "\ud800",
  "😀",
  " ",
  "\t",
  "-",
  "0",
  "99999999999999999999",
  "-1",
  "null",
  "true",
  "gpu:",
  "a100",
  "%j",
  "&",
  "*",
  "!",
  "|",
];
let crashes = 0;
const t = Date.now();
let n = 0;
while (Date.now() - t < Number(process.env.SECS ?? 60) * 1000) {
  let s = files[rnd(files.length)];
  const k = 1 + rnd(6);
  for (let i = 0; i < k; i++) {
    const p = rnd(s.length + 1);
    const op = rnd(3);
    if (op === 0) s = s.slice(0, p) + pieces[rnd(pieces.length)] + s.slice(p);
    else if (op === 1) s = s.slice(0, p) + s.slice(p + 1 + rnd(5));
    else {
      const q = rnd(s.length + 1);
      s = s.slice(0, p) + s.slice(q, q + rnd(20)) + s.slice(p);
    }
  }
  for (const format of [undefined, "yaml", "slurm", "submitit"]) {
    try {
      compile(s, { filename: "f", ...(format ? { format } : {}) });
      n++;
    } catch (e) {
      crashes++;
      if (crashes < 5) {
        console.log("CRASH", format, String(e.stack).split("\n").slice(0, 4).join(" | "));
        console.log(JSON.stringify(s).slice(0, 400));
      }
    }
  }
}
console.log(n, "compiles,", crashes, "crashes");
