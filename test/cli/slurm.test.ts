import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";

const SCRIPT = `#!/bin/bash
#SBATCH --job-name=train
#SBATCH --gres=gpu:a100:4
#SBATCH --time=2:00:00
#SBATCH --mail-user=me@example.org
python train.py
`;

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "flow-slurm-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("flow compile on a batch script", () => {
  test("detects SLURM and compiles it", async () => {
    const cwd = workdir({ "job.sbatch": SCRIPT });
    const r = await runCli(["compile", "job.sbatch", "--json"], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.format).toBe("slurm");
    expect(json.ir).toMatchObject({ name: "train", instance_type: "4xa100", max_run_time_hours: 2 });
    expect(json.directive_fates.map((f: { fate: string }) => f.fate)).toEqual([
      "mapped",
      "mapped",
      "mapped",
      "ignored",
    ]);
  });

  test("--set fills template placeholders", async () => {
    const cwd = workdir({
      "t.sbatch": "#!/bin/bash\n#SBATCH --nodes={{nodes}}\n#SBATCH --gres=gpu:1\necho hi\n",
    });
    expect((await runCli(["compile", "t.sbatch"], { cwd })).code).toBe(1);
    const r = await runCli(["compile", "t.sbatch", "--set", "nodes=2", "--json"], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ir.num_instances).toBe(2);
  });

  test("an SBATCH_* variable fills the option of a placeholder directive (warning, not error)", async () => {
    const cwd = workdir({ "t.sbatch": "#!/bin/bash\n#SBATCH --time={{t}}\n#SBATCH --gres=gpu:1\necho hi\n" });
    expect((await runCli(["compile", "t.sbatch"], { cwd })).code).toBe(1);
    const r = await runCli(["compile", "t.sbatch", "--json"], { cwd, env: { SBATCH_TIMELIMIT: "30" } });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.ir.max_run_time_hours).toBe(0.5);
    expect(json.diagnostics.find((d: { code: string }) => d.code === "SBATCH016")).toMatchObject({
      severity: "warning",
      message: expect.stringContaining("`SBATCH_TIMELIMIT` from the environment supplies the value"),
    });
  });

  test("SBATCH_* variables from the environment override directives", async () => {
    const cwd = workdir({ "t.sbatch": "#!/bin/bash\n#SBATCH -t 60\n#SBATCH --gres=gpu:1\necho hi\n" });
    const r = await runCli(["compile", "t.sbatch", "--json"], { cwd, env: { SBATCH_TIMELIMIT: "30" } });
    expect(JSON.parse(r.stdout).ir.max_run_time_hours).toBe(0.5);
  });

  test("--strict makes ignored directives errors", async () => {
    const cwd = workdir({ "job.sbatch": SCRIPT });
    const r = await runCli(["compile", "job.sbatch", "--strict"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[SBATCH020]");
  });

  test("a partition map decides type, region and image", async () => {
    const cwd = workdir({
      "p.sbatch": "#!/bin/bash\n#SBATCH --partition=big\necho hi\n",
      "map.yaml":
        "big:\n  instance_type: 8xh100\n  region: us-central1-b\n  image: nvcr.io/nvidia/pytorch:24.05-py3\n",
    });
    const r = await runCli(["compile", "p.sbatch", "--partition-map", "map.yaml", "--json"], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ir).toMatchObject({
      instance_type: "8xh100",
      region: "us-central1-b",
      image: "nvcr.io/nvidia/pytorch:24.05-py3",
    });
  });
});

describe("flow slurm convert", () => {
  test("writes Flow YAML whose comments record every directive's fate", async () => {
    const cwd = workdir({ "job.sbatch": SCRIPT });
    const r = await runCli(["slurm", "convert", "job.sbatch", "-o", "job.yaml"], { cwd });
    expect(r.code).toBe(0);
    const yaml = readFileSync(join(cwd, "job.yaml"), "utf8");
    expect(yaml).toMatch(/line 2 +--job-name=train +mapped: name train/);
    expect(yaml).toMatch(/line 5 +--mail-user=me@example.org +ignored: no mail is sent from the cloud/);
    expect(yaml).toContain("instance_type: 4xa100");
    const back = await runCli(["compile", "job.yaml", "--json"], { cwd });
    expect(back.code).toBe(0);
  });
});

describe("flow slurm migrate", () => {
  test("--jobs takes a positive whole number, nothing else", async () => {
    const cwd = workdir({ "in/a.sbatch": SCRIPT });
    for (const value of ["0", "", "1.5", "1e1", "-2", "x"]) {
      const r = await runCli(["slurm", "migrate", "in", "--out", "out", "--jobs", value], { cwd });
      expect(r.code, JSON.stringify(value)).toBe(2);
      expect(r.stderr).toContain("--jobs must be a positive whole number");
    }
  });

  test("converts a tree and writes Markdown and JSON reports", async () => {
    const cwd = workdir({
      "in/a/train.sbatch": SCRIPT,
      "in/b/sweep.slurm":
        "#!/bin/bash\n#SBATCH --array=0-2\n#SBATCH --gres=gpu:1\necho $SLURM_ARRAY_TASK_ID\n",
      "in/b/broken.sh": "#!/bin/bash\n#SBATCH --cpus=8\necho hi\n",
      "in/notes.txt": "not a script",
    });
    const r = await runCli(["slurm", "migrate", "in", "--out", "out", "--jobs", "1"], { cwd });
    expect(r.code).toBe(1);
    // train.sbatch's --mail-user is ignored (a warning); the project is packed only when a converted
    // job is run, so no script is warned about its code (FCP013)
    expect(r.stdout).toContain("3 scripts: 1 ok, 1 with warnings, 1 with errors");
    expect(existsSync(join(cwd, "out/a/train.yaml"))).toBe(true);
    expect(existsSync(join(cwd, "out/b/sweep.yaml"))).toBe(true);
    expect(existsSync(join(cwd, "out/b/broken.yaml"))).toBe(false);
    const report = JSON.parse(readFileSync(join(cwd, "out/report.json"), "utf8"));
    expect(report.totals).toMatchObject({ files: 3, ok: 1, warnings: 1, errors: 1, bids: 4 });
    expect(report.totals.codes.FCP013).toBeUndefined();
    expect(report.totals.codes.SBATCH010).toBe(1);
    expect(report.totals.fates.ignored).toBe(1);
    const md = readFileSync(join(cwd, "out/report.md"), "utf8");
    expect(md).toContain("| b/broken.sh | errors |");
  });

  test("same-named scripts do not overwrite each other; symlinks are followed; a broken one is reported", async () => {
    const cwd = workdir({
      "in/job.sbatch": SCRIPT,
      "in/job.sh": SCRIPT.replace("train", "other"),
      "real/linked.sbatch": SCRIPT.replace("train", "linked"),
    });
    symlinkSync(join(cwd, "real/linked.sbatch"), join(cwd, "in/link.sbatch"));
    symlinkSync(join(cwd, "real/missing.sbatch"), join(cwd, "in/broken.sbatch"));
    const r = await runCli(["slurm", "migrate", "in", "--out", "in/out", "--jobs", "1"], { cwd });
    expect(r.code).toBe(1);
    expect(readFileSync(join(cwd, "in/out/job.sbatch.yaml"), "utf8")).toContain("name: train");
    expect(readFileSync(join(cwd, "in/out/job.sh.yaml"), "utf8")).toContain("name: other");
    expect(readFileSync(join(cwd, "in/out/link.yaml"), "utf8")).toContain("name: linked");
    const report = JSON.parse(readFileSync(join(cwd, "in/out/report.json"), "utf8"));
    const broken = report.files.find((f: { file: string }) => f.file === "broken.sbatch");
    expect(broken).toMatchObject({ status: "errors", diagnostics: [{ code: "FLOW004" }] });
    // a second run does not pick up its own output folder inside the tree
    const again = await runCli(["slurm", "migrate", "in", "--out", "in/out", "--jobs", "1"], { cwd });
    expect(again.stdout).toContain("4 scripts:");
  });

  test("a missing folder is a usage error", async () => {
    const r = await runCli(["slurm", "migrate", "nope", "--out", "x"], { cwd: workdir({}) });
    expect(r.code).toBe(2);
  });
});

describe("--ignore-dependencies", () => {
  test("a script with --dependency fails to compile without it (exit 1) and compiles with it", async () => {
    const cwd = workdir({
      "job.sbatch":
        "#!/bin/bash\n#SBATCH --dependency=afterok:4411\n#SBATCH --gres=gpu:1\necho $SLURM_JOB_DEPENDENCY\n",
    });
    const strict = await runCli(["compile", "job.sbatch"], { cwd });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("error[SBATCH021]");
    expect(strict.stderr).toContain("--ignore-dependencies");
    const lenient = await runCli(["compile", "job.sbatch", "--ignore-dependencies", "--emit", "-"], { cwd });
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stderr).toContain("warning[SBATCH020]");
    expect(lenient.stdout).toContain("SLURM_JOB_DEPENDENCY=afterok:4411");
  });
});

describe("flow slurm submit", () => {
  test("--dry-run prints the bids and scripts", async () => {
    const cwd = workdir({ "job.sbatch": SCRIPT });
    const r = await runCli(["slurm", "submit", "job.sbatch", "--dry-run", "--project", "proj_x"], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.bids[0]).toMatchObject({ project: "proj_x", name: "train", instance_quantity: 1 });
    expect(json.startup_scripts[0].text.startsWith("#!/bin/bash\n")).toBe(true);
  });

  test("without --dry-run and without an API key: a usage error naming flow init and --dry-run, exit 2", async () => {
    const cwd = workdir({ "job.sbatch": SCRIPT });
    const r = await runCli(["slurm", "submit", "job.sbatch"], { cwd, env: { HOME: cwd } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no API key");
    expect(r.stderr).toContain("flow init");
    expect(r.stderr).toContain("--dry-run");
  });
});
