import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";

const GOOD =
  "name: hello\ninstance_type: a100\ncommand: [nvidia-smi]\nupload_code: false\nmax_price_per_hour: 2\n";

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "flow-cli-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("flow compile", () => {
  test("prints a summary and exits 0", async () => {
    const cwd = workdir({ "job.yaml": GOOD });
    const r = await runCli(["compile", "job.yaml"], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^bid `hello`: 1 × a100-80gb\.sxm\.1x \(it_\w+\) in [\w-]+, limit \$2\.00\/instance-hour$/m,
    );
    expect(r.stdout).toMatch(/startup script: [\d,]+ of 10,000 bytes/);
    expect(r.stderr).toContain("info[FCP002]");
  });

  test("--emit - writes the script, --emit-bid a file", async () => {
    const cwd = workdir({ "job.yaml": GOOD });
    const r = await runCli(
      ["compile", "job.yaml", "--emit", "-", "--emit-bid", "bid.json", "--project", "proj_x"],
      {
        cwd,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("#!/bin/bash\n")).toBe(true);
    const bid = JSON.parse(readFileSync(join(cwd, "bid.json"), "utf8"));
    expect(bid).toMatchObject({
      project: "proj_x",
      limit_price: "$2.00",
      instance_quantity: 1,
      name: "hello",
      launch_specification: { volumes: [], ssh_keys: [], startup_script: r.stdout },
    });
    expect(bid.instance_type).toMatch(/^it_/);
  });

  test("--json prints the whole result", async () => {
    const cwd = workdir({ "job.yaml": GOOD });
    const r = await runCli(["compile", "job.yaml", "--json"], { cwd, env: { FLOW_PROJECT: "proj_env" } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(true);
    expect(json.format).toBe("yaml");
    expect(json.ir).toMatchObject({ name: "hello", instance_type: "1xa100", command: ["nvidia-smi"] });
    expect(json.bids[0].project).toBe("proj_env");
    expect(json.startup_scripts[0].bytes).toBe(Buffer.byteLength(json.startup_scripts[0].text));
    expect(json.startup_scripts[0].headroom).toBe(10000 - json.startup_scripts[0].bytes);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain("FCP002");
  });

  test("diagnostics: exit 1, rendered on stderr with file:line:col, all errors at once", async () => {
    const cwd = workdir({ "bad.yaml": "name: t\ninstance_type: a100\nmax_price: 1\nssh_key: k\n" });
    const r = await runCli(["compile", "bad.yaml"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("bad.yaml:3:1: error[IR003]: unknown field `max_price`");
    expect(r.stderr).toContain("bad.yaml:4:1: error[IR003]: unknown field `ssh_key`");
    expect(r.stderr).toContain("= help: did you mean `max_price_per_hour`?");
  });

  test("--json carries errors too, with exit 1", async () => {
    const cwd = workdir({ "bad.yaml": "name: t\ninstance_type: A100\n" });
    const r = await runCli(["compile", "bad.yaml", "--json"], { cwd });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(false);
    expect(json.diagnostics[0]).toMatchObject({ code: "IT001", range: { start: { line: 2, column: 16 } } });
  });

  test("--strict turns warnings into errors", async () => {
    const cwd = workdir({ "job.yaml": `${GOOD}env:\n  V: yes\n` });
    expect((await runCli(["compile", "job.yaml"], { cwd })).code).toBe(0);
    const strict = await runCli(["compile", "job.yaml", "--strict"], { cwd });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("error[YAML003]");
  });

  test("--script-limit makes an over-size script an error naming sections", async () => {
    const cwd = workdir({ "job.yaml": GOOD });
    const r = await runCli(["compile", "job.yaml", "--script-limit", "100"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[FCP001]");
  });

  test("an array: --emit writes one script per bid into a directory; `-` is refused", async () => {
    const cwd = workdir({ "job.yaml": `${GOOD}region: eu-central1-a\narray: {task_ids: [1, 2, 3]}\n` });
    const r = await runCli(["compile", "job.yaml", "--emit", "scripts"], { cwd });
    expect(r.code).toBe(0);
    for (const id of [1, 2, 3]) {
      expect(readFileSync(join(cwd, "scripts", `hello-${id}.sh`), "utf8")).toContain(
        `FLOW_ARRAY_TASK_ID=${id}`,
      );
    }
    const dash = await runCli(["compile", "job.yaml", "--emit", "-"], { cwd });
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain("3 startup scripts");
  });

  test("stdin with `-`", async () => {
    const r = await runCli(["compile", "-", "--format", "yaml", "--emit", "-"], { stdin: GOOD });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("nvidia-smi");
  });

  test("colour only on a TTY without NO_COLOR", async () => {
    const cwd = workdir({ "bad.yaml": "name: t\n" });
    expect((await runCli(["compile", "bad.yaml"], { cwd, tty: true })).stderr).toContain("\x1b[");
    expect(
      (await runCli(["compile", "bad.yaml"], { cwd, tty: true, env: { NO_COLOR: "1" } })).stderr,
    ).not.toContain("\x1b[");
  });

  test("usage errors exit 2", async () => {
    const cwd = workdir({ "job.yaml": GOOD });
    const missing = await runCli(["compile", "nope.yaml"], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("flow: cannot read `nope.yaml`: no such file\n");
    expect((await runCli(["compile", "job.yaml", "--script-limit", "ten"], { cwd })).code).toBe(2);
    expect((await runCli(["compile", "job.yaml", "--format", "toml"], { cwd })).code).toBe(2);
    expect((await runCli(["compile", "job.yaml", "--emit", "-", "--emit-bid", "-"], { cwd })).code).toBe(2);
    expect((await runCli(["compile"], { cwd })).code).toBe(2);
    expect((await runCli(["frobnicate"], { cwd })).code).toBe(2);
    expect((await runCli([], { cwd })).code).toBe(2);
  });

  test("submitit parameters compile (test/cli/submitit.test.ts has the rest)", async () => {
    const cwd = workdir({ "params.json": '{"parameters": {}}' });
    const r = await runCli(["compile", "params.json"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[SUBMITIT011]: the document says nothing to run");
  });
});

describe("flow instance-types, --help, --version", () => {
  test("instance-types lists the catalog", async () => {
    const r = await runCli(["instance-types"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("a100-80gb.sxm.8x");
    expect(r.stdout).toContain("8xh100");
    const json = JSON.parse((await runCli(["instance-types", "--json"])).stdout);
    expect(JSON.stringify(json)).toContain("it_");
  });

  test("--help and --version exit 0", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("compile");
    const version = await runCli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await runCli(["compile", "--help"])).stdout).toContain("--emit-bid");
  });
});

describe("--catalog and FLOW_CATALOG replace the built-in catalog", () => {
  /** The saved API responses the README describes: one A100 type, offered in one region. */
  function customCatalog(): string {
    const type = {
      fid: "it_TESTCATALOG0001",
      name: "a100-80gb.sxm.1x",
      num_cpus: 24,
      cpu_type: "x",
      ram_gb: 225,
      num_gpus: 1,
      gpu_type: "A100",
      gpu_memory_gb: 80,
      gpu_socket: "SXM4",
      local_storage_gb: 1000,
    };
    const auction = {
      fid: "auc_1",
      instance_type: type.fid,
      region: "test-region-1",
      capacity: 4,
      last_instance_price: "$1.50",
    };
    return JSON.stringify({ instance_types: [type], availability: [auction] });
  }

  test("flow compile and slurm submit --dry-run bid with the file's FIDs and regions", async () => {
    const cwd = workdir({
      "job.yaml": GOOD,
      "job.sbatch": "#!/bin/bash\n#SBATCH --gres=gpu:a100:1\npython x.py\n",
      "catalog.json": customCatalog(),
    });
    const viaFlag = await runCli(["compile", "job.yaml", "--catalog", "catalog.json", "--json"], { cwd });
    const viaEnv = await runCli(["slurm", "submit", "job.sbatch", "--dry-run"], {
      cwd,
      env: { FLOW_CATALOG: "catalog.json" },
    });
    for (const r of [viaFlag, viaEnv]) {
      expect(r.code, r.stderr).toBe(0);
      const bid = JSON.parse(r.stdout).bids[0];
      expect(bid.instance_type).toBe("it_TESTCATALOG0001");
      expect(bid.region).toBe("test-region-1");
    }
  });

  test("a malformed catalog file is a usage error naming the file and the place", async () => {
    const cwd = workdir({ "job.yaml": GOOD, "bad.json": '{"source": "x", "instance_types": [}' });
    const r = await runCli(["compile", "job.yaml"], { cwd, env: { FLOW_CATALOG: "bad.json" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("catalog `bad.json`: invalid JSON at line 1");
  });
});
