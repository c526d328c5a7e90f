/**
 * `flow run`, live `flow slurm submit` and `flow submitit submit` end to end: the CLI in-process
 * against a started emulator (no mock of the HTTP layer).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, onTestFinished, test } from "vitest";
import { createSshKey, emulatorBids, type Harness, startHarness } from "../api/harness.ts";
import { schemaValidator } from "../helpers/openapi.ts";

const JOB = `name: train
instance_type: 8xh100
max_price_per_hour: 20
upload_code: false
command: ["python", "train.py"]
`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.emulator.controls.reset();
  h.emulator.controls.clearFaults();
});

const validBid = schemaValidator("CreateBidRequest");

describe("flow run <file>", () => {
  test("places one uniquely named bid in the cheapest region with capacity and prints it with its price", async () => {
    h.write({ "job.yaml": JOB });
    const r = await h.run(["run", "job.yaml"]);
    expect(r.code, r.stderr).toBe(0);
    const bids = await emulatorBids(h);
    expect(bids).toHaveLength(1);
    const bid = bids[0]!;
    expect(bid.name).toMatch(/^train-[a-z0-9]{6}$/);
    // built-in fixtures: 8xh100 is $10.00 in us-central1-a and $8.00 in us-central1-b
    expect(bid.region).toBe("us-central1-b");
    expect(bid.limit_price).toBe("$20.00");
    expect(r.stdout).toContain(bid.fid);
    expect(r.stdout).toContain("$8.00 (limit $20.00)");
    expect(r.stdout).toContain(
      "region us-central1-b: the cheapest with capacity for 1 (also us-central1-a $10.00",
    );
    // the compiler's own region remark (FCP002) would contradict the live choice: not shown
    expect(r.stderr).not.toContain("FCP002");
    expect(`${r.stdout}${r.stderr}`).not.toContain(h.emulator.apiKey);
    expect(JSON.stringify(bid)).not.toContain(h.emulator.apiKey);
  });

  test("a job that holds the API key is refused before any bid (FCP018), and the key is never printed", async () => {
    const key = h.emulator.apiKey;
    h.write({ "job.yaml": `${JOB}env:\n  WANDB_API_KEY: ${key}\n` });
    for (const argv of [
      ["run", "job.yaml"],
      ["run", "job.yaml", "--dry-run", "--json"],
    ]) {
      const r = await h.run(argv);
      expect(r.code).toBe(1);
      expect(`${r.stdout}${r.stderr}`).toContain("FCP018");
      expect(`${r.stdout}${r.stderr}`).not.toContain(key);
    }
    expect(await emulatorBids(h)).toEqual([]);
  });

  test("a project file holding the API key is refused before any bid (FCP009), and the key is never printed", async () => {
    const key = h.emulator.apiKey;
    // its own project folder, outside the harness's (which the other tests pack)
    const project = mkdtempSync(join(tmpdir(), "flow-key-project-"));
    onTestFinished(() => rmSync(project, { recursive: true, force: true }));
    writeFileSync(join(project, "job.yaml"), JOB.replace("upload_code: false\n", ""));
    writeFileSync(join(project, "notes.txt"), `key=${key}\n`);
    for (const argv of [
      ["run", "job.yaml"],
      ["run", "job.yaml", "--dry-run", "--json"],
    ]) {
      const r = await h.run(argv, { cwd: project });
      expect(r.code).toBe(1);
      expect(`${r.stdout}${r.stderr}`).toContain("FCP009");
      expect(`${r.stdout}${r.stderr}`).toContain("notes.txt");
      expect(`${r.stdout}${r.stderr}`).not.toContain(key);
    }
    expect(await emulatorBids(h)).toEqual([]);
  });

  test("--wait waits until the instances run; progress goes to a terminal only", async () => {
    h.write({ "job.yaml": JOB });
    const quiet = await h.run(["run", "job.yaml", "--wait", "--poll-interval", "0.01", "--json"]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain("waiting for");
    const out = JSON.parse(quiet.stdout);
    expect(out.instances).toEqual([
      {
        fid: expect.stringMatching(/^inst_/),
        bid: out.bids[0].fid,
        status: "STATUS_RUNNING",
        ssh_destination: expect.any(String),
      },
    ]);
    const tty = await h.run(["run", "job.yaml", "--wait", "--poll-interval", "0.01"], { tty: true });
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stderr).toMatch(/\rwaiting for 1 instance\(s\): 1 allocated, 1 running/);
  });

  test("two runs of one file place two bids (names never collide)", async () => {
    h.write({ "job.yaml": JOB });
    expect((await h.run(["run", "job.yaml"])).code).toBe(0);
    expect((await h.run(["run", "job.yaml"])).code).toBe(0);
    const names = (await emulatorBids(h)).map((b) => b.name);
    expect(new Set(names).size).toBe(2);
  });

  test("the region of the job is kept even when another is cheaper", async () => {
    h.write({ "job.yaml": `${JOB}region: us-central1-a\n` });
    const r = await h.run(["run", "job.yaml", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.bids[0]).toMatchObject({
      region: "us-central1-a",
      spot_price: "$10.00",
      status: expect.any(String),
    });
    expect((await emulatorBids(h))[0]!.region).toBe("us-central1-a");
  });

  test("--dry-run prints the plan and places nothing", async () => {
    h.write({ "job.yaml": `${JOB}max_run_time_hours: 3\nnum_instances: 2\n` });
    const r = await h.run(["run", "job.yaml", "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("nothing placed");
    expect(r.stdout).toMatch(/instance type\s+h100-80gb\.sxm\.8x \(it_\w+\) × 2 instances/);
    expect(r.stdout).toMatch(/region\s+us-central1-b \(cheapest with capacity for 2\)/);
    expect(r.stdout).toContain("$8.00 × 2 instances × 3 h = $48.00 (spot price)");
    expect(r.stdout).toContain("$20.00 × 2 instances × 3 h = $120.00 (limit price)");
    expect(r.stdout).toMatch(/startup script\s+[\d,]+ of 10,000 bytes/);
    expect(await emulatorBids(h)).toEqual([]);
    const json = JSON.parse((await h.run(["run", "job.yaml", "--dry-run", "--json"])).stdout);
    expect(json).toMatchObject({
      live: true,
      region: "us-central1-b",
      instances_per_bid: 2,
      hours: 3,
      spot_price: "$8.00",
    });
  });

  test("--dry-run without an API key plans against the built-in catalog", async () => {
    h.write({ "job.yaml": JOB });
    const r = await h.run(["run", "job.yaml", "--dry-run"], { env: { FLOW_API_KEY: "" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("offline: built-in snapshot");
    const live = await h.run(["run", "job.yaml"], { env: { FLOW_API_KEY: "" } });
    expect(live.code).toBe(2);
    expect(live.stderr).toContain("flow init");
  });

  test("a wrong API key is exit 3 with a suggestion, and the key is never printed", async () => {
    h.write({ "job.yaml": JOB });
    const r = await h.run(["run", "job.yaml"], { env: { FLOW_API_KEY: "fkey_notTheRightOne" } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("the API key was not accepted (401");
    expect(r.stderr).toContain("help: check the API key");
    expect(r.stderr).not.toContain("fkey_notTheRightOne");
  });

  test("no capacity anywhere is exit 3 naming the regions; --queue places the bid anyway", async () => {
    for (const pool of h.emulator.controls.pools()) {
      if (pool.region.startsWith("us-central1"))
        h.emulator.controls.setPool(pool.instance_type, pool.region, { capacity: 0 });
    }
    h.write({ "job.yaml": JOB });
    const r = await h.run(["run", "job.yaml"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("no capacity: 1 × h100-80gb.sxm.8x are not available in any region now");
    expect(r.stderr).toContain("us-central1-a: 0 free");
    expect(r.stderr).toContain("--queue");
    expect(await emulatorBids(h)).toEqual([]);
    const q = await h.run(["run", "job.yaml", "--queue"]);
    expect(q.code, q.stderr).toBe(0);
    const bids = await emulatorBids(h);
    expect(bids).toMatchObject([{ status: "Open", region: "us-central1-b" }]);
  });

  test("a 422 is shown at the source line of the rejected field", async () => {
    h.write({
      "cheap.yaml": "name: cheap\ninstance_type: 8xh100\nupload_code: false\nmax_price_per_hour: 0.001\n",
    });
    // no region allocates at that limit: only --queue posts it (and the API refuses it)
    expect((await h.run(["run", "cheap.yaml"])).stderr).toContain("no capacity");
    const r = await h.run(["run", "cheap.yaml", "--queue"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("cheap.yaml:4:21: error[API001]: the API rejected the bid's `limit_price`");
    expect(r.stderr).toContain("4 | max_price_per_hour: 0.001");
    expect(await emulatorBids(h)).toEqual([]);
  });

  test("SSH key names become FIDs; an unknown name is an error at its line", async () => {
    const keys = [{ name: "laptop", fid: await createSshKey(h, "laptop") }];
    h.write({ "k.yaml": `${JOB}ssh_keys: [${JSON.stringify(keys[0]!.name)}]\n` });
    const ok = await h.run(["run", "k.yaml"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await emulatorBids(h))[0]!.launch_specification.ssh_keys).toEqual([keys[0]!.fid]);
    // the compiler's "not a key FID" warning does not apply when flow resolves the name
    expect(ok.stderr).not.toContain("is not a key FID");
    h.write({ "bad.yaml": `${JOB}ssh_keys: ["nobody"]\n` });
    const bad = await h.run(["run", "bad.yaml"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml:6:\d+: error\[API002\]: no SSH key named `nobody`/);
  });

  test("volumes that do not exist are created in the bid's region and attached", async () => {
    h.write({ "v.yaml": `${JOB}volumes:\n  - name: scratch\n    size_gb: 50\n    mount_path: /scratch\n` });
    const r = await h.run(["run", "v.yaml"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/created volume `scratch` vol_\w+ \(50 GB, Block\) in us-central1-b/);
    const list = await h.run(["volumes", "list", "--json"]);
    const volumes = JSON.parse(list.stdout) as { fid: string; name: string; region: string }[];
    const scratch = volumes.find((v) => v.name === "scratch")!;
    expect(scratch.region).toBe("us-central1-b");
    expect((await emulatorBids(h))[0]!.launch_specification.volumes).toEqual([scratch.fid]);
    // a second run finds it instead of creating another
    expect((await h.run(["run", "v.yaml"])).code).toBe(0);
    const again = JSON.parse((await h.run(["volumes", "list", "--json"])).stdout) as { name: string }[];
    expect(again.filter((v) => v.name === "scratch")).toHaveLength(1);
  });

  test("an existing volume fixes the region; none is created twice; volumes of two regions are an error", async () => {
    const made = await h.run(["volumes", "create", "data", "--size", "50", "--region", "us-central1-a"]);
    expect(made.code, made.stderr).toBe(0);
    h.write({ "v.yaml": `${JOB}volumes:\n  - name: data\n    size_gb: 50\n    mount_path: /data\n` });
    const r = await h.run(["run", "v.yaml"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("created volume");
    expect((await emulatorBids(h))[0]!.region).toBe("us-central1-a");
    const volumes = JSON.parse((await h.run(["volumes", "list", "--json"])).stdout) as { name: string }[];
    expect(volumes.filter((v) => v.name === "data")).toHaveLength(1);
    // a second volume elsewhere: no region has both
    expect(
      (await h.run(["volumes", "create", "logs", "--size", "10", "--region", "us-central1-b"])).code,
    ).toBe(0);
    h.write({
      "two.yaml": `${JOB}volumes:\n  - name: data\n    mount_path: /data\n  - name: logs\n    mount_path: /logs\n`,
    });
    const two = await h.run(["run", "two.yaml"]);
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(
      /error\[API003\]: the job's volumes are in different regions \(`data` in us-central1-a, `logs` in us-central1-b\)/,
    );
    expect(await emulatorBids(h)).toHaveLength(1);
  });

  test("a region qualifies only when the limit is above its spot price and it has capacity for the bids placed at once", async () => {
    const setRegion = (region: string, change: { spot_price?: string; capacity?: number }) => {
      for (const pool of h.emulator.controls.pools())
        if (pool.region === region) h.emulator.controls.setPool(pool.instance_type, pool.region, change);
    };
    // b ($8) is cheapest but its spot is not below the limit: a ($10) is chosen
    setRegion("us-central1-b", { spot_price: "$20.00" });
    h.write({ "job.yaml": JOB });
    const r = await h.run(["run", "job.yaml", "--dry-run", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).region).toBe("us-central1-a");
    // nowhere under the limit: no capacity (exit 3); --queue places it with a warning
    setRegion("us-central1-a", { spot_price: "$25.00" });
    const none = await h.run(["run", "job.yaml"]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain(
      "no capacity: 1 × h100-80gb.sxm.8x are not available in any region now at the limit $20.00",
    );
    const q = await h.run(["run", "job.yaml", "--queue"]);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stderr).toContain(
      "flow: warning: no region can allocate 1 × h100-80gb.sxm.8x at the limit $20.00 now",
    );
    // capacity must cover every bid placed at once: 3 array tasks (no %N) × 1 instance
    h.emulator.controls.reset();
    setRegion("us-central1-b", { capacity: 2 });
    h.write({
      "arr.sbatch":
        "#!/bin/bash\n#SBATCH --job-name=arr\n#SBATCH --gres=gpu:h100:8\n#SBATCH --array=0-2\npython x.py\n",
    });
    const arr = await h.run(["slurm", "submit", "arr.sbatch"]);
    expect(arr.code, arr.stderr).toBe(0);
    const bids = (await emulatorBids(h)).filter((b) => b.name.startsWith("arr-"));
    expect(bids).toHaveLength(3);
    expect(bids.map((b) => b.region)).toEqual(["us-central1-a", "us-central1-a", "us-central1-a"]);
  });

  test("the bid request flow posts satisfies the vendor schema (CreateBidRequest)", async () => {
    h.write({ "job.yaml": `${JOB}ssh_keys: [${JSON.stringify(await createSshKey(h, "k"))}]\n` });
    const r = await h.run(["run", "job.yaml", "--dry-run", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const requests = JSON.parse(r.stdout).bid_requests;
    expect(requests).toHaveLength(1);
    expect(validBid(requests[0])).toBe("");
    expect(requests[0]).toMatchObject({
      project: h.emulator.projectId,
      region: "us-central1-b",
      limit_price: "$20.00",
    });
    expect(JSON.stringify(requests)).not.toContain(h.emulator.apiKey);
    expect(await emulatorBids(h)).toEqual([]);
  });
});

describe("flow run with other formats", () => {
  test("a SLURM script and submitit parameters are detected and placed", async () => {
    h.write({
      "fit.sbatch": "#!/bin/bash\n#SBATCH --job-name=fit\n#SBATCH --gres=gpu:a100:1\npython fit.py\n",
      "params.json": JSON.stringify({
        parameters: { timeout_min: 60, gpus_per_node: 1 },
        command: ["python", "train.py"],
      }),
    });
    const slurm = await h.run(["run", "fit.sbatch"]);
    expect(slurm.code, slurm.stderr).toBe(0);
    const submitit = await h.run(["run", "params.json"]);
    expect(submitit.code, submitit.stderr).toBe(0);
    expect((await emulatorBids(h)).map((b) => b.name.replace(/-[a-z0-9]{6}$/, ""))).toEqual([
      "fit",
      "submitit",
    ]);
  });

  test("--strict fails on the job's warnings, not on what live submission takes care of", async () => {
    h.write({
      "k.yaml": `${JOB}ssh_keys: ["laptop"]\n`,
      "warn.yaml": `${JOB}env:\n  API_TOKEN: "hunter2hunter2hunter2"\n`,
    });
    await createSshKey(h, "laptop");
    const resolved = await h.run(["run", "k.yaml", "--strict"]);
    expect(resolved.code, resolved.stderr).toBe(0);
    const warned = await h.run(["run", "warn.yaml", "--strict"]);
    expect(warned.code).toBe(1);
    expect(warned.stderr).toContain("error[IR014]");
    expect(await emulatorBids(h)).toHaveLength(1);
  });

  test("SLURM-only options on a Flow YAML job are a usage error, not silently ignored", async () => {
    h.write({ "job.yaml": JOB });
    const r = await h.run(["run", "job.yaml", "--image", "python:3.12"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("a Flow YAML job says `image:` itself");
  });
});

describe("flow run -i (interactive)", () => {
  test("without keys in the project it says how to add one, and places nothing", async () => {
    const r = await h.run(["run", "-i", "1xa100"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("an interactive instance needs an SSH key");
    expect(await emulatorBids(h)).toEqual([]);
  });

  test("places a bid with no command and every project key, and prints how to ssh", async () => {
    const a = await createSshKey(h, "a");
    const b = await createSshKey(h, "b");
    const r = await h.run(["run", "-i", "1xa100", "--image", "pytorch/pytorch:latest"]);
    expect(r.code, r.stderr).toBe(0);
    const bids = await emulatorBids(h);
    expect(bids).toHaveLength(1);
    expect(bids[0]!.name).toMatch(/^interactive-[a-z0-9]{6}$/);
    expect(bids[0]!.launch_specification.ssh_keys).toEqual([a, b]);
    const one = await h.run(["run", "-i", "1xa100", "--ssh-keys", "b"]);
    expect(one.code, one.stderr).toBe(0);
    expect((await emulatorBids(h))[1]!.launch_specification.ssh_keys).toEqual([b]);
    expect(r.stdout).toContain(`flow ssh ${bids[0]!.name}`);
  });

  test("an unknown --ssh-keys name fails before anything is placed", async () => {
    const r = await h.run(["run", "-i", "1xa100", "--ssh-keys", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no SSH key named `nope`");
    expect(await emulatorBids(h)).toEqual([]);
  });

  test("a file and -i together are a usage error", async () => {
    h.write({ "job.yaml": JOB });
    expect((await h.run(["run", "job.yaml", "-i", "1xa100"])).code).toBe(2);
  });

  test("options of the other form are a usage error, not silently ignored", async () => {
    h.write({ "job.yaml": JOB });
    for (const flag of ["--name", "--region", "--max-price"]) {
      const r = await h.run(["run", "job.yaml", flag, "1"]);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toContain("apply to -i");
    }
    const r = await h.run(["run", "-i", "1xa100", "--set", "x=1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("apply to a job file, not to -i");
    expect(await emulatorBids(h)).toEqual([]);
  });

  test("--ignore-dependencies is refused where nothing reads it: with -i and for a Flow YAML job", async () => {
    h.write({ "job.yaml": JOB });
    const interactive = await h.run(["run", "-i", "1xa100", "--ignore-dependencies"]);
    expect(interactive.code).toBe(2);
    expect(interactive.stderr).toContain(
      "--ignore-dependencies: options that apply to a job file, not to -i",
    );
    const yaml = await h.run(["run", "job.yaml", "--ignore-dependencies", "--set", "a=1"]);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toContain("--set and --ignore-dependencies: options that apply to SLURM scripts");
    expect(await emulatorBids(h)).toEqual([]);
  });

  test("--script-limit takes the whole numbers flow compile takes", async () => {
    h.write({ "job.yaml": JOB });
    for (const value of ["1e4", "0x2710", " 10000", "0"]) {
      const r = await h.run(["run", "job.yaml", "--dry-run", "--script-limit", value]);
      expect(r.code, value).toBe(2);
      expect(r.stderr).toContain("--script-limit must be a positive whole number");
    }
  });

  test("--poll-interval is checked before anything is placed; a timer beyond 24 h is refused", async () => {
    h.write({ "job.yaml": JOB });
    for (const value of ["0", "", "abc", "90000"]) {
      const r = await h.run(["run", "job.yaml", "--wait", "--poll-interval", value]);
      expect(r.code, value).toBe(2);
      expect(r.stderr).toContain("--poll-interval must be");
    }
    expect(await emulatorBids(h)).toEqual([]);
  });

  test("--poll-interval under 1 ms is refused (it would poll without waiting), before anything is placed", async () => {
    h.write({ "job.yaml": JOB });
    for (const value of ["0.0001", "1e-6"]) {
      const r = await h.run(["run", "job.yaml", "--wait", "--poll-interval", value]);
      expect(r.code, value).toBe(2);
      expect(r.stderr).toContain("--poll-interval must be at least 0.001 seconds (1 ms)");
    }
    expect(await emulatorBids(h)).toEqual([]);
  });
});

describe("arrays with a %N limit", () => {
  const ARRAY = `#!/bin/bash
#SBATCH --job-name=sweep
#SBATCH --gres=gpu:a100:1
#SBATCH --array=0-4%2
python sweep.py
`;

  test("at most N bids are placed; `flow status` places the next as tasks end; cancel drops the queue", async () => {
    h.write({ "sweep.sbatch": ARRAY });
    const r = await h.run(["slurm", "submit", "sweep.sbatch"]);
    expect(r.code, r.stderr).toBe(0);
    // the compiler's "cannot be enforced by compiled bids" does not apply to live submission
    expect(r.stderr).not.toContain("max_running");
    expect(r.stdout).toContain("3 more array task(s) queued (at most 2 at once)");
    let bids = await emulatorBids(h);
    expect(bids.map((b) => b.name.replace(/-[a-z0-9]{6}-/, "-*-")).sort()).toEqual([
      "sweep-*-0",
      "sweep-*-1",
    ]);
    expect(readdirSync(join(h.home, ".flow", "arrays"))).toHaveLength(1);

    // nothing ended: status places nothing
    await h.run(["status"]);
    expect(await emulatorBids(h)).toHaveLength(2);

    // one ends: the next is placed
    const first = bids.find((b) => b.name.endsWith("-0"))!;
    expect((await h.run(["cancel", first.fid])).code).toBe(0);
    const s = await h.run(["status"]);
    expect(s.stderr).toMatch(/placed queued array task sweep-[a-z0-9]{6}-2/);
    bids = await emulatorBids(h);
    expect(bids.filter((b) => b.status !== "Terminated")).toHaveLength(2);
    expect(bids).toHaveLength(3);

    // cancelling the submission cancels the live ones and drops the rest
    const prefix = first.name.replace(/-0$/, "");
    const c = await h.run(["cancel", prefix]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain("dropped 2 queued array task(s)");
    expect((await emulatorBids(h)).filter((b) => b.status !== "Terminated")).toEqual([]);
    expect(readdirSync(join(h.home, ".flow", "arrays"))).toEqual([]);
  });
});

describe("flow slurm submit (live)", () => {
  test("compiles the script and places its bid", async () => {
    h.write({
      "job.sbatch":
        "#!/bin/bash\n#SBATCH --job-name=fit\n#SBATCH --gres=gpu:a100:4\n#SBATCH --time=1:00:00\npython fit.py\n",
    });
    const r = await h.run(["slurm", "submit", "job.sbatch"]);
    expect(r.code, r.stderr).toBe(0);
    const bids = await emulatorBids(h);
    expect(bids).toHaveLength(1);
    expect(bids[0]!.name).toMatch(/^fit-[a-z0-9]{6}$/);
    expect(bids[0]!.region).toBe("eu-central1-a");
  });

  test("flow submitit submit places the parameters' bid the same way", async () => {
    h.write({
      "params.json": JSON.stringify({
        parameters: { timeout_min: 30, gpus_per_node: 2 },
        command: ["python", "x.py"],
      }),
    });
    const r = await h.run(["submitit", "submit", "params.json", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.bids[0]).toMatchObject({
      name: expect.stringMatching(/^submitit-[a-z0-9]{6}$/),
      instance_type: "a100-80gb.sxm.2x",
    });
    expect(await emulatorBids(h)).toHaveLength(1);
  });

  test("--dry-run still prints the compile JSON and needs no key", async () => {
    h.write({ "job.sbatch": "#!/bin/bash\n#SBATCH --gres=gpu:a100:1\npython fit.py\n" });
    const r = await h.run(["slurm", "submit", "job.sbatch", "--dry-run"], { env: { FLOW_API_KEY: "" } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).bids).toHaveLength(1);
  });
});
