import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";

const PARAMS = JSON.stringify(
  {
    folder: "logs/%j",
    parameters: { name: "train", timeout_min: 120, nodes: 2, tasks_per_node: 8, gpus_per_node: 8 },
    command: ["python", "train.py"],
    map_array: [
      ["--seed", "0"],
      ["--seed", "1"],
    ],
  },
  null,
  2,
);

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "flow-submitit-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("flow compile on submitit parameters", () => {
  test("detects submitit by the .json extension and compiles it", async () => {
    const cwd = workdir({ "params.json": PARAMS });
    const r = await runCli(["compile", "params.json", "--json"], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.format).toBe("submitit");
    expect(json.ir).toMatchObject({
      name: "train",
      instance_type: "8xa100",
      num_instances: 2,
      max_run_time_hours: 2,
    });
    expect(json.bids.map((b: { name: string }) => b.name)).toEqual(["train-0", "train-1"]);
  });

  test("errors are at the JSON line and column, exit 1", async () => {
    const cwd = workdir({
      "p.json": '{\n  "parameters": {"timeout_min": 60, "slurm_partiton": "gpu"},\n  "command": ["x"]\n}\n',
    });
    const r = await runCli(["compile", "p.json"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("p.json:2:37: error[SUBMITIT006]: unknown parameter `slurm_partiton`");
    expect(r.stderr).toContain("did you mean `slurm_partition`?");
  });

  test("stdin with --format submitit; --strict makes the 5-minute warning an error", async () => {
    const text = '{"parameters": {"gpus_per_node": 1}, "command": ["x"]}';
    const ok = await runCli(["compile", "-", "--format", "submitit", "--json"], { stdin: text });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).diagnostics.map((d: { code: string }) => d.code)).toContain("SUBMITIT010");
    const strict = await runCli(["compile", "-", "--format", "submitit", "--strict"], { stdin: text });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("error[SUBMITIT010]");
  });

  test("a .json file that is not submitit: a clear error naming the way out", async () => {
    const cwd = workdir({ "package.json": '{"name": "x", "version": "1.0.0"}' });
    const r = await runCli(["compile", "package.json"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[SUBMITIT003]");
    expect(r.stderr).toContain("--format");
  });
});

describe("flow submitit submit | render", () => {
  test("submit --dry-run prints the bids and scripts as JSON", async () => {
    const cwd = workdir({ "params.json": PARAMS });
    const r = await runCli(["submitit", "submit", "params.json", "--dry-run", "--project", "proj_abc"], {
      cwd,
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.format).toBe("submitit");
    expect(json.bids).toHaveLength(2);
    expect(json.bids[0].project).toBe("proj_abc");
    expect(json.startup_scripts[0].text).toContain("SUBMITIT_EXECUTOR=slurm");
  });

  test("submit without --dry-run takes the live path (here: no API key, so nothing is placed)", async () => {
    const cwd = workdir({ "params.json": PARAMS });
    const r = await runCli(["submitit", "submit", "params.json"], { cwd, env: { HOME: cwd } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no API key");
  });

  test("submit reports document errors with exit 1", async () => {
    const cwd = workdir({ "p.json": '{"parameters": {"timeout_min": true}, "command": ["x"]}' });
    const r = await runCli(["submitit", "submit", "p.json", "--dry-run"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[SUBMITIT005]");
  });

  test("render prints the sbatch file submitit would write, or writes it with -o", async () => {
    const cwd = workdir({ "params.json": PARAMS });
    const r = await runCli(["submitit", "render", "params.json"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("#SBATCH --array=0-1%2\n");
    expect(r.stdout).toContain("#SBATCH --output=/workspace/logs/%A_%a/%A_%a_0_log.out\n");
    expect(r.stdout).toContain("#SBATCH --time=120\n");
    const o = await runCli(["submitit", "render", "params.json", "-o", "job.sbatch"], { cwd });
    expect(o.code).toBe(0);
    expect(readFileSync(join(cwd, "job.sbatch"), "utf8")).toBe(r.stdout);
    const bad = await runCli(["submitit", "render", "-"], { stdin: "{" });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("error[SUBMITIT001]");
  });

  test("a missing file is a usage error", async () => {
    const r = await runCli(["submitit", "submit", "nope.json", "--dry-run"], { cwd: workdir({}) });
    expect(r.code).toBe(2);
  });
});
