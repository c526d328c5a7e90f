/**
 * The built CLI (`dist/`, made by `npm ci`/`npm run build`) as users run it: the README command,
 * a SLURM script (its frontend is a lazily loaded chunk), and `slurm migrate` on two worker
 * threads — paths the in-process CLI tests cannot reach.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";

const CLI = resolve("dist/cli.js");

function flow(args: string[], cwd = process.cwd()) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error("dist/cli.js is missing: run `npm run build` (npm ci does it)");
});

describe("the bundled flow CLI", () => {
  test("the README command prints a startup script", () => {
    const r = flow(["compile", "examples/train.yaml", "--emit", "-"]);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith("#!/bin/bash\n")).toBe(true);
    expect(r.stdout).toContain("run --rm --gpus all");
  });

  test("a SLURM script compiles through the lazily loaded frontend", () => {
    const r = flow(["compile", "fixtures/slurm/basic-gpu.sbatch", "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).ir.instance_type).toBe("4xa100");
  });

  test("the CLI's code stays small: zod's unused core is not bundled (cold start reads all of it)", () => {
    const cliFiles = readdirSync("dist").filter((f) => f.endsWith(".js") && f !== "index.js");
    const bytes = cliFiles.reduce((sum, f) => sum + statSync(join("dist", f)).size, 0);
    // ~1.5 MB today; reaching for `z.core.<value>` once pulled in ~400 KB more (+10 ms per start)
    expect(bytes).toBeLessThan(1_650_000);
    for (const f of cliFiles)
      expect(readFileSync(join("dist", f), "utf8")).not.toContain("base64urlToUint8Array");
  });

  test("slurm migrate on two worker threads writes YAML and reports", () => {
    const root = mkdtempSync(join(tmpdir(), "flow-e2e-"));
    for (let i = 0; i < 6; i++) {
      mkdirSync(join(root, "in", `d${i % 2}`), { recursive: true });
      writeFileSync(
        join(root, "in", `d${i % 2}`, `job${i}.sbatch`),
        `#!/bin/bash\n#SBATCH --job-name=j${i}\n#SBATCH --gres=gpu:a100:${i % 2 ? 2 : 1}\npython run.py\n`,
      );
    }
    const r = flow(["slurm", "migrate", "in", "--out", "out", "--jobs", "2"], root);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("6 scripts: 6 ok, 0 with warnings, 0 with errors");
    const report = JSON.parse(readFileSync(join(root, "out", "report.json"), "utf8"));
    expect(report.files.map((f: { file: string }) => f.file)).toEqual([
      "d0/job0.sbatch",
      "d0/job2.sbatch",
      "d0/job4.sbatch",
      "d1/job1.sbatch",
      "d1/job3.sbatch",
      "d1/job5.sbatch",
    ]);
    expect(readFileSync(join(root, "out", "d1", "job3.yaml"), "utf8")).toContain("instance_type: 2xa100");
  });
});
