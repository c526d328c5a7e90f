/**
 * `flow compile --budget`, the budget in `--json`, and the code upload from the CLI: the current
 * directory (or `--code-dir`) is packed when the task uploads code, and only then.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";

const JOB =
  "name: job\ninstance_type: a100\nregion: eu-central1-a\nmax_price_per_hour: 2\ncommand: [python, train.py]\n";

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "flow-budget-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("flow compile --budget", () => {
  test("prints the section table, the form, the limit and the headroom", async () => {
    const cwd = workdir({ "job.yaml": `${JOB}upload_code: false\nenv: {A: "1"}\n` });
    const r = await runCli(["compile", "job.yaml", "--budget"], { cwd });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("startup script of bid `job` (bytes):");
    expect(lines.map((l) => l.trim().split(/\s{2,}/)[0])).toEqual([
      "startup script of bid `job` (bytes):",
      "header",
      "env",
      "run",
      "raw script",
      "shipped raw",
      "limit",
      "headroom",
      "",
    ]);
    const json = JSON.parse((await runCli(["compile", "job.yaml", "--json"], { cwd })).stdout);
    const script = json.startup_scripts[0];
    expect(r.stdout).toMatch(
      new RegExp(`\\nlimit +10,000\\nheadroom +${(10_000 - script.bytes).toLocaleString("en-US")}\\n$`),
    );
    expect(script.form).toBe("raw");
    expect(script.raw_bytes).toBe(script.bytes);
    expect(script.code).toBeNull();
    expect(script.sections.map((s: { name: string }) => s.name)).toEqual(["header", "env", "run"]);
  });

  test("says when the script ships compressed; with --emit - the table goes to stderr", async () => {
    const body = Array.from(
      { length: 600 },
      (_, i) => `python step.py --part ${i} --seed ${(i * 7919) % 1000}`,
    ).join("\n");
    const cwd = workdir({
      "job.yaml": `name: big\ninstance_type: a100\nregion: eu-central1-a\nmax_price_per_hour: 2\nupload_code: false\nscript: |\n${body
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n")}\n`,
    });
    const r = await runCli(["compile", "job.yaml", "--budget", "--emit", "-"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("#!/bin/bash\nset -euo pipefail\nFLOW_LOG_DIR=")).toBe(true);
    expect(r.stdout).toContain("\nFLOW_S=$FLOW_LOG_DIR/startup.sh\n");
    expect(r.stderr).toMatch(/\nshipped compressed \(gzip\+base64 bootstrap\) +\d/);
    expect(r.stderr).toMatch(/\n {2}setup +2\d,\d{3}\n/);
    const json = JSON.parse((await runCli(["compile", "job.yaml", "--json"], { cwd })).stdout);
    expect(json.startup_scripts[0].form).toBe("compressed");
    expect(json.startup_scripts[0].raw_bytes).toBeGreaterThan(20_000);
    expect(json.startup_scripts[0].bytes).toBeLessThanOrEqual(10_000);
  });
});

describe("flow compile: the code upload", () => {
  test("packs the current directory when the task uploads code, embedding a small project", async () => {
    const cwd = workdir({ "job.yaml": JOB, "train.py": "print(1)\n", ".git/HEAD": "x" });
    const r = await runCli(["compile", "job.yaml", "--json", "--project", "proj_x"], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const script = json.startup_scripts[0];
    expect(script.code).toMatchObject({ mode: "embedded", upload_path: "/var/lib/flow/upload/code.tar.gz" });
    expect(script.code.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(script.sections.map((s: { name: string }) => s.name)).toContain("code");
    expect(json.diagnostics.map((d: { code: string }) => d.code)).not.toContain("FCP013");
    const budget = await runCli(["compile", "job.yaml", "--budget"], { cwd });
    expect(budget.stdout).toMatch(/\ncode \(embedded, in section code\) +\d+\n/);
  });

  test("--code-dir names another project; a large one travels by upload (FCP014)", async () => {
    const project = workdir({ "train.py": "print(1)\n" });
    let noise = "";
    for (let i = 0; noise.length < 40_000; i++) noise += `${((i * 2654435761) >>> 0).toString(36)}\n`;
    writeFileSync(join(project, "weights.txt"), noise);
    const cwd = workdir({ "job.yaml": JOB });
    const r = await runCli(["compile", "job.yaml", "--code-dir", project, "--json"], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.startup_scripts[0].code.mode).toBe("upload");
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain("FCP014");
    expect(json.startup_scripts[0].text).toContain(json.startup_scripts[0].code.sha256);
  });

  test("a SLURM script uploads its submit directory (the current directory) into /workspace", async () => {
    const cwd = workdir({
      "job.sbatch": "#!/bin/bash\n#SBATCH --gres=gpu:1\n#SBATCH --time=10\npython train.py\n",
      "train.py": "print(1)\n",
    });
    const r = await runCli(["compile", "job.sbatch", "--json"], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    const script = json.startup_scripts[0];
    expect(script.code.mode).toBe("embedded");
    expect(script.text).toContain("| tar -xzmf - -C /workspace\n");
    expect(script.text).toContain('"$FLOW_TIMEOUT" -k 60 600 ');
    expect(json.diagnostics.map((d: { code: string }) => d.code)).not.toContain("FCP013");
  });

  test("a symlink out of the project is an error naming it, with exit 1", async () => {
    const cwd = workdir({ "job.yaml": JOB });
    symlinkSync("/etc/passwd", join(cwd, "passwd"));
    const r = await runCli(["compile", "job.yaml"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[FCP009]: `passwd` is a symlink to the absolute path `/etc/passwd`");
  });

  test("slurm submit --dry-run and submitit submit --dry-run pack the project too", async () => {
    const cwd = workdir({
      "job.sbatch": "#!/bin/bash\n#SBATCH --gres=gpu:1\n#SBATCH --time=10\npython train.py\n",
      "params.json":
        '{"parameters": {"gpus_per_node": 1, "timeout_min": 10}, "command": ["python", "train.py"]}\n',
      "train.py": "print(1)\n",
    });
    for (const argv of [
      ["slurm", "submit", "job.sbatch", "--dry-run"],
      ["submitit", "submit", "params.json", "--dry-run"],
    ]) {
      const r = await runCli(argv, { cwd });
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.startup_scripts[0].code.mode).toBe("embedded");
      expect(json.diagnostics.map((d: { code: string }) => d.code)).not.toContain("FCP013");
    }
  });

  test("slurm and submitit submit --dry-run keep --script-limit, as flow compile does", async () => {
    const cwd = workdir({
      "job.sbatch": "#!/bin/bash\n#SBATCH --gres=gpu:1\n#SBATCH --time=10\npython train.py\n",
      "params.json":
        '{"parameters": {"gpus_per_node": 1, "timeout_min": 10}, "command": ["python", "x.py"]}\n',
    });
    for (const argv of [
      ["slurm", "submit", "job.sbatch", "--dry-run"],
      ["submitit", "submit", "params.json", "--dry-run"],
    ]) {
      const small = await runCli([...argv, "--script-limit", "500"], { cwd });
      expect(small.code, argv.join(" ")).toBe(1);
      expect(small.stderr).toContain("error[FCP001]");
      const large = await runCli([...argv, "--script-limit", "20000"], { cwd });
      expect(large.code, large.stderr).toBe(0);
      expect(JSON.parse(large.stdout).startup_scripts[0].limit).toBe(20000);
      const bad = await runCli([...argv, "--script-limit", "1e4"], { cwd });
      expect(bad.code).toBe(2);
    }
  });

  test("slurm submit --dry-run bids in the configured project (--project > FLOW_PROJECT > ./.flow/config.yaml)", async () => {
    const cwd = workdir({
      "job.sbatch": "#!/bin/bash\n#SBATCH --gres=gpu:1\n#SBATCH --time=10\npython train.py\n",
      ".flow/config.yaml": "project: proj_fromconfig\n",
    });
    const projectOf = async (argv: string[], env: Record<string, string> = {}) => {
      const r = await runCli(["slurm", "submit", "job.sbatch", "--dry-run", ...argv], { cwd, env });
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.diagnostics.map((d: { code: string }) => d.code)).not.toContain("FCP005");
      return json.bids[0].project;
    };
    expect(await projectOf([])).toBe("proj_fromconfig");
    expect(await projectOf([], { FLOW_PROJECT: "proj_fromenv" })).toBe("proj_fromenv");
    expect(await projectOf(["--project", "proj_fromflag"], { FLOW_PROJECT: "proj_fromenv" })).toBe(
      "proj_fromflag",
    );
  });

  test("a project file holding the API key is refused (FCP009), and the key is never printed", async () => {
    const key = "fkey_0123456789abcdefSECRET";
    const cwd = workdir({ "job.yaml": JOB, "notes.txt": `export FLOW_API_KEY=${key}\n` });
    const r = await runCli(["compile", "job.yaml"], { cwd, env: { FLOW_API_KEY: key } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[FCP009]");
    expect(r.stderr).toContain("notes.txt");
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  test("the key from ~/.flow/credentials.yaml counts too: in the job (FCP018) or a project file (FCP009), never printed", async () => {
    const key = "fkey_FromCredentialsFile42";
    const home = workdir({ ".flow/credentials.yaml": `api_key: ${key}\n` });
    const env = { HOME: home };
    const inJob = workdir({ "job.yaml": `${JOB}upload_code: false\nenv:\n  TOKEN: ${key}\n` });
    for (const argv of [
      ["compile", "job.yaml"],
      ["compile", "job.yaml", "--json"],
    ]) {
      const r = await runCli(argv, { cwd: inJob, env });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain("FCP018");
      expect(r.stdout + r.stderr).not.toContain(key);
    }
    const inProject = workdir({ "job.yaml": JOB, "deploy.sh": `curl -H "Authorization: Bearer ${key}"\n` });
    const r = await runCli(["compile", "job.yaml", "--emit", "-"], { cwd: inProject, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[FCP009]");
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  test("the key counts even when the configuration is refused: a project's api_url set apart from the key (FCP009)", async () => {
    const key = "fkey_HomeKeyProjectUrl77";
    const home = workdir({ ".flow/credentials.yaml": `api_key: ${key}\n` });
    const cwd = workdir({
      "job.yaml": JOB,
      // a cloned repository's settings: every remote command refuses to send the key there
      ".flow/config.yaml": "api_url: https://collector.example\n",
      "deploy.sh": `curl -H "Authorization: Bearer ${key}"\n`,
    });
    const refused = await runCli(["status"], { cwd, env: { HOME: home } });
    expect(refused.code).toBe(2);
    const r = await runCli(["compile", "job.yaml", "--emit", "-"], { cwd, env: { HOME: home } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[FCP009]");
    expect(r.stderr).toContain("deploy.sh");
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  test("a key written by hand into ~/.flow/config.yaml (no credentials file) counts too (FCP009)", async () => {
    const key = "fkey_HandWrittenInConfig9";
    const home = workdir({ ".flow/config.yaml": `api_key: ${key}\n` });
    const cwd = workdir({ "job.yaml": JOB, "notes.txt": `key: ${key}\n` });
    for (const argv of [
      ["compile", "job.yaml"],
      ["compile", "job.yaml", "--json"],
    ]) {
      const r = await runCli(argv, { cwd, env: { HOME: home } });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain("FCP009");
      expect(r.stdout + r.stderr).toContain("notes.txt");
      expect(r.stdout + r.stderr).not.toContain(key);
    }
  });

  test("nothing is packed for a task with upload_code: false", async () => {
    const cwd = workdir({ "job.yaml": `${JOB}upload_code: false\n` });
    symlinkSync("/etc/passwd", join(cwd, "passwd"));
    const r = await runCli(["compile", "job.yaml", "--json"], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).startup_scripts[0].code).toBeNull();
  });
});
