/** `flow status`, `flow cancel`, `flow ssh`, `flow volumes`, `flow instance-types --live` against a started emulator. */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Clock } from "../../src/cli/commands/arrays.ts";
import { redactingStream } from "../../src/cli/commands/ssh.ts";
import { CATALOG_TTL_MS, statusCommand } from "../../src/cli/commands/status.ts";
import { emulatorBids, type Harness, startHarness } from "../api/harness.ts";

const JOB = `name: train
instance_type: 8xh100
region: us-central1-b
max_price_per_hour: 20
upload_code: false
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
  rmSync(join(h.home, ".flow", "arrays"), { recursive: true, force: true });
});

async function submit(
  file = "job.yaml",
  text = JOB,
  extra: string[] = [],
): Promise<{ fid: string; name: string; instance_type_fid: string }> {
  h.write({ [file]: text });
  const r = await h.run(["run", file, "--json", ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).bids[0];
}

describe("flow status", () => {
  test("a table of the live tasks, and JSON with instances", async () => {
    const bid = await submit();
    const r = await h.run(["status"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^TASK\s+BID\s+STATUS\s+STATE\s+INSTANCES\s+REGION\s+PRICE\/INSTANCE-HOUR\s+CREATED$/m,
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `${bid.name}\\s+${bid.fid}\\s+Allocated\\s+running \\(1/1\\)\\s+1 × h100-80gb.sxm.8x\\s+us-central1-b\\s+\\$8.00 \\(limit \\$20.00\\)`,
      ),
    );
    const json = JSON.parse((await h.run(["status", "train", "--json"])).stdout);
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      fid: bid.fid,
      status: "Allocated",
      preempted: false,
      instance_type: "h100-80gb.sxm.8x",
      spot_price: "$8.00",
      instances: [{ status: "STATUS_RUNNING", ssh_destination: expect.any(String) }],
    });
  });

  test("preemption is shown while it happens and after", async () => {
    const bid = await submit();
    h.emulator.controls.setPool(bid.instance_type_fid, "us-central1-b", { spot_price: "$30.00" });
    const during = await h.run(["status", bid.name]);
    expect(during.stdout).toContain("Preempting");
    expect(during.stdout).toMatch(
      /PREEMPTED — the spot price rose above the limit: instances stop at \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    expect(during.stdout).toContain("$30.00 (limit $20.00)");
    expect(JSON.parse((await h.run(["status", bid.name, "--json"])).stdout)[0]).toMatchObject({
      status: "Preempting",
      preempted: true,
      instances: [{ status: "STATUS_PREEMPTING", end_time: expect.any(String) }],
    });
    h.emulator.clock.advance(301);
    const after = JSON.parse((await h.run(["status", bid.name, "--json"])).stdout)[0];
    expect(after).toMatchObject({
      status: "Open",
      preempted: true,
      state: "preempted; waiting to win the auction again",
    });
  });

  test("a failed boot and a relocation are said in STATE", async () => {
    const bid = await submit();
    const [instance] = (await emulatorBids(h))[0]!.instances;
    h.emulator.controls.relocateInstance(instance!);
    expect(JSON.parse((await h.run(["status", bid.name, "--json"])).stdout)[0].state).toBe(
      "relocating to another host (1 relocating)",
    );
    h.emulator.controls.failInstance(instance!);
    expect(JSON.parse((await h.run(["status", bid.name, "--json"])).stdout)[0].state).toMatch(
      /^FAILED — an instance did not boot \(1 error\)/,
    );
  });

  test("--watch redraws only when stdout is a terminal, whatever stderr is", async () => {
    const bid = await submit();
    const watch = (stdoutTty: boolean) =>
      h.run(["status", bid.name, "--watch", "--interval", "0.05"], { tty: true, stdoutTty });
    const toFile = watch(false);
    const toTerminal = watch(true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await h.run(["cancel", bid.name])).code).toBe(0);
    const [file, terminal] = [await toFile, await toTerminal];
    expect(file.code, file.stderr).toBe(0);
    expect(file.stdout).not.toContain("\u001b[2J");
    expect(terminal.stdout).toContain("\u001b[H\u001b[2J");
  });

  test("--watch follows until the task is terminated", async () => {
    const bid = await submit();
    const watching = h.run(["status", bid.name, "--watch", "--interval", "0.05"]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await h.run(["cancel", bid.name])).code).toBe(0);
    const r = await watching;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Allocated");
    expect(r.stdout).toContain("Terminated");
    // without a terminal, an unchanged table is not printed again
    expect(r.stdout.match(/^TASK/gm)).toHaveLength(2);
  });

  test("a --watch round lists bids and instances once, for the table and every array queue; the catalog is read once a minute", async () => {
    await submit();
    h.write({
      "sweep.sbatch": `#!/bin/bash
#SBATCH --job-name=sweep
#SBATCH --gres=gpu:a100:1
#SBATCH --array=0-4%2
python sweep.py
`,
    });
    for (let i = 0; i < 2; i++) {
      const r = await h.run(["slurm", "submit", "sweep.sbatch"]);
      expect(r.code, r.stderr).toBe(0);
    }
    // task 0 of each array powers its instance off: the first round cancels its bid and places task 2
    for (const bid of (await emulatorBids(h)).filter((b) => b.name.endsWith("-0")))
      for (const fid of bid.instances) h.emulator.controls.powerOffInstance(fid);
    let stdout = "";
    let stderr = "";
    let now = Date.now();
    let rounds = 0;
    const clock: Clock = {
      now: () => now,
      every: () => () => {},
      async sleep(ms) {
        rounds++;
        now += ms;
        // the third round comes more than a minute after the first: the catalog is read again
        if (rounds === 2) now += CATALOG_TTL_MS;
        if (rounds === 3) {
          // then everything ends (not through flow): the tasks shown are cancelled, the queues gone
          const shown = JSON.parse(stdout.trimEnd().split("\n").at(-1)!) as { fid: string }[];
          expect(shown).toHaveLength(5);
          for (const { fid } of shown) {
            const res = await fetch(`${h.emulator.url}/v2/spot/bids/${fid}`, {
              method: "DELETE",
              headers: { authorization: `Bearer ${h.emulator.apiKey}` },
            });
            expect(res.ok).toBe(true);
          }
          rmSync(join(h.home, ".flow", "arrays"), { recursive: true, force: true });
        }
      },
    };
    const before = { ...h.emulator.controls.stats().by_route };
    const io = {
      stdout: (t: string) => {
        stdout += t;
      },
      stderr: (t: string) => {
        stderr += t;
      },
      readStdin: async () => "",
      env: h.env,
      cwd: h.cwd,
      stderrIsTTY: false,
      stdoutIsTTY: false,
    };
    const code = await statusCommand(io, undefined, { watch: true, json: true }, clock);
    expect(code, stderr).toBe(0);
    expect(rounds).toBe(3);
    expect(stderr.match(/ended \(its instances stopped\): cancelled its bid/g)).toHaveLength(2);
    expect(stderr.match(/placed queued array task sweep-[a-z0-9]{6}-2/g)).toHaveLength(2);
    const after = h.emulator.controls.stats().by_route;
    const made = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    // four rounds: one listing of bids each, shared by both queues and the table
    expect(made("GET /v2/spot/bids")).toBe(4);
    // instances of the listed bids once a round (the last round shows none and advances no queue)
    expect(made("GET /v2/instances")).toBe(3);
    // the catalog in the first round, and again in the third (a minute later); the last shows nothing
    expect(made("GET /v2/instance-types")).toBe(2);
    expect(made("GET /v2/spot/availability")).toBe(2);
    expect(made("POST /v2/spot/bids")).toBe(2);
  });

  test("--watch: a queue the API refuses for good (400) is said once, not posted again, and does not keep the watch going", async () => {
    h.write({
      "sweep.sbatch": `#!/bin/bash
#SBATCH --job-name=sweep
#SBATCH --gres=gpu:a100:1
#SBATCH --array=0-4%2
python sweep.py
`,
    });
    const r = await h.run(["slurm", "submit", "sweep.sbatch"]);
    expect(r.code, r.stderr).toBe(0);
    const bids = await emulatorBids(h);
    const first = bids.find((b) => b.name.endsWith("-0"))!;
    const second = bids.find((b) => b.name.endsWith("-1"))!;
    expect((await h.run(["cancel", first.fid])).code).toBe(0);
    // from now on the API refuses every new bid (400 is not retried)
    h.emulator.controls.addFaults([{ method: "POST", path: "/v2/spot/bids", status: 400 }]);
    let stdout = "";
    let stderr = "";
    let rounds = 0;
    let now = Date.now();
    const clock: Clock = {
      now: () => now,
      every: () => () => {},
      async sleep(ms) {
        rounds++;
        now += ms;
        if (rounds > 10) throw new Error("the watch goes on");
        // after three rounds the live task ends: its instance powers off (the command ended)
        if (rounds === 3) for (const fid of second.instances) h.emulator.controls.powerOffInstance(fid);
      },
    };
    const before = h.emulator.controls.stats().by_route["POST /v2/spot/bids"] ?? 0;
    const io = {
      stdout: (t: string) => {
        stdout += t;
      },
      stderr: (t: string) => {
        stderr += t;
      },
      readStdin: async () => "",
      env: h.env,
      cwd: h.cwd,
      stderrIsTTY: false,
      stdoutIsTTY: false,
    };
    const code = await statusCommand(io, undefined, { watch: true }, clock);
    expect(code, stderr).toBe(3);
    // the watch ended once the live task had: the queued tasks the API refused do not keep it going
    expect(rounds).toBe(3);
    // one POST, refused (a refused request is not counted by the emulator's routes): said once
    expect(h.emulator.controls.stats().by_route["POST /v2/spot/bids"] ?? 0).toBe(before);
    expect(stderr.match(/POST \/v2\/spot\/bids failed with 400/g)).toHaveLength(1);
    expect(stderr).toContain("this run does not try again");
    expect(stderr).toContain("a later `flow status` tries again");
    expect(stdout).toContain("3 array task(s) queued (3 refused by the API");
    // refused, the queue still has its ended task's bid cancelled (a powered-off task must not keep it)
    expect(stderr).toContain(`array task ${second.name} ended (its instances stopped): cancelled its bid`);
    // the queue file is kept: a later `flow status` tries again (and places the task, the API willing)
    h.emulator.controls.clearFaults();
    const again = await h.run(["status"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/placed queued array task sweep-[a-z0-9]{6}-2/);
  });

  test("the project may be a name, or unset when the key sees one project", async () => {
    const bid = await submit();
    const projects = (await fetch(`${h.emulator.url}/v2/projects`, {
      headers: { authorization: `Bearer ${h.emulator.apiKey}` },
    }).then((res) => res.json())) as { name: string }[];
    expect(projects).toHaveLength(1);
    for (const project of [projects[0]!.name, ""]) {
      const r = await h.run(["status", "--json"], { env: { FLOW_PROJECT: project } });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).map((t: { fid: string }) => t.fid)).toEqual([bid.fid]);
    }
    const wrong = await h.run(["status"], { env: { FLOW_PROJECT: "no-such-project" } });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain(`no project \`no-such-project\` is visible to this API key`);
    expect(wrong.stderr).toContain(`projects: ${projects[0]!.name} (proj_`);
  });

  test("the key from a credentials file others can read is used, with a warning", async () => {
    const dir = join(h.home, ".flow");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "credentials.yaml"), `api_key: ${h.emulator.apiKey}\n`, { mode: 0o644 });
    chmodSync(join(dir, "credentials.yaml"), 0o644);
    const r = await h.run(["status"], { env: { FLOW_API_KEY: "" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("credentials.yaml can be read by other users: run `chmod 600` on it");
    expect(r.stderr).not.toContain(h.emulator.apiKey);
    rmSync(join(dir, "credentials.yaml"));
  });

  test("transient API failures are retried; on a terminal the wait is explained", async () => {
    await submit();
    h.emulator.controls.addFaults([{ method: "GET", path: "/v2/spot/bids", status: 503, times: 1 }]);
    const r = await h.run(["status"], { tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/flow: GET \/v2\/spot\/bids: 503; trying again in \d\.\d s \(retry 1\)/);
    h.emulator.controls.addFaults([{ method: "GET", path: "/v2/spot/bids", status: 503, times: 1 }]);
    const quiet = await h.run(["status"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
  });

  test("an unknown task is exit 3 with a suggestion", async () => {
    const r = await h.run(["status", "nothing-here"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("no task named `nothing-here`");
    expect((await h.run(["status", "bid_doesNotExist1234"])).code).toBe(3);
  });

  test("terminated tasks are hidden unless --all or named", async () => {
    const bid = await submit();
    await h.run(["cancel", bid.fid]);
    expect((await h.run(["status"])).stdout).toBe("no tasks\n");
    expect((await h.run(["status", "--all"])).stdout).toContain(bid.fid);
    expect((await h.run(["status", bid.fid])).stdout).toContain("Terminated");
  });
});

describe("flow cancel", () => {
  test("cancels by bid name; cancelling again says so", async () => {
    const bid = await submit();
    const r = await h.run(["cancel", bid.name]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`cancelled ${bid.fid} (${bid.name})\n`);
    expect((await emulatorBids(h))[0]!.status).toBe("Terminated");
    expect((await h.run(["cancel", bid.name])).stdout).toContain("already terminated");
    expect((await h.run(["cancel", "unknown-task"])).code).toBe(3);
  });

  test("a name matching several submissions (a teammate's too) is refused without --all", async () => {
    const mine = await submit();
    const theirs = await submit();
    const r = await h.run(["cancel", "train"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("`train` matches 2 submissions");
    expect(r.stderr).toContain(`${mine.name}: 1 live`);
    expect(r.stderr).toContain(`${theirs.name}: 1 live`);
    expect(r.stderr).toContain("--all");
    expect((await emulatorBids(h)).filter((b) => b.status === "Terminated")).toEqual([]);
    // the full submission name cancels just that one
    const one = await h.run(["cancel", mine.name, "--json"]);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).cancelled).toEqual([{ fid: mine.fid, name: mine.name }]);
    // one live submission left: the bare name names it alone
    await submit();
    const all = await h.run(["cancel", "train", "--all", "--json"]);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout).cancelled).toHaveLength(2);
    expect((await emulatorBids(h)).filter((b) => b.status !== "Terminated")).toEqual([]);
  });
});

describe("flow status when the catalog cannot be read", () => {
  /** A proxy to the emulator whose instance-type listing holds one type the strict validation refuses. */
  async function oddCatalogProxy(): Promise<{
    url: string;
    odd: (on: boolean) => void;
    close: () => Promise<void>;
  }> {
    let odd = false;
    const server = createServer(async (req, res) => {
      const upstream = await fetch(`${h.emulator.url}${req.url}`, {
        method: req.method ?? "GET",
        headers: { authorization: req.headers.authorization ?? "", "content-type": "application/json" },
        ...(req.method === "GET" || req.method === "HEAD"
          ? {}
          : {
              body: await new Promise<string>((done) => {
                let body = "";
                req
                  .setEncoding("utf8")
                  .on("data", (c: string) => (body += c))
                  .on("end", () => done(body));
              }),
            }),
      });
      let body = await upstream.text();
      if (odd && req.url?.startsWith("/v2/instance-types")) {
        const types = JSON.parse(body) as Record<string, unknown>[];
        types.push({ ...types[0], fid: "it_oddtype", num_gpus: "many" });
        body = JSON.stringify(types);
      }
      res.writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "application/json",
      });
      res.end(body);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      odd: (on) => {
        odd = on;
      },
      close: () => new Promise((done) => server.close(() => done())),
    };
  }

  test("the tasks are shown by type FID with a one-line warning, after the array queues advanced", async () => {
    const proxy = await oddCatalogProxy();
    const env = { FLOW_API_URL: proxy.url };
    try {
      h.write({
        "job.yaml": JOB,
        "sweep.sbatch":
          "#!/bin/bash\n#SBATCH --job-name=sweep\n#SBATCH --gres=gpu:a100:1\n#SBATCH --array=0-2%1\npython sweep.py\n",
      });
      const run = await h.run(["run", "job.yaml", "--json"], { env });
      expect(run.code, run.stderr).toBe(0);
      const bid = JSON.parse(run.stdout).bids[0];
      // the array's queue belongs to the API it was submitted to: the proxy's
      expect((await h.run(["slurm", "submit", "sweep.sbatch"], { env })).code).toBe(0);
      const first = (await emulatorBids(h)).find((b) => /^sweep-[a-z0-9]{6}-0$/.test(b.name))!;
      expect((await h.run(["cancel", first.fid], { env })).code).toBe(0);
      proxy.odd(true);
      const r = await h.run(["status"], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/placed queued array task sweep-[a-z0-9]{6}-1/);
      const warnings = r.stderr.split("\n").filter((l) => l.startsWith("flow: warning:"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("instance types are shown by FID");
      expect(r.stdout).toMatch(
        new RegExp(
          `${bid.name}\\s+${bid.fid}\\s+Allocated\\s+running \\(1/1\\)\\s+1 × ${bid.instance_type_fid}\\s`,
        ),
      );
      expect(r.stdout).toContain("? (limit $20.00)");
      const json = await h.run(["status", "--json", bid.name], { env });
      expect(json.code, json.stderr).toBe(0);
      expect(JSON.parse(json.stdout)[0]).toMatchObject({
        instance_type: bid.instance_type_fid,
        spot_price: null,
      });
    } finally {
      await proxy.close();
    }
  });
});

describe("flow ssh", () => {
  test("--print gives the ssh command for the instance's ssh_destination (host:port)", async () => {
    const bid = await submit();
    const [instance] = (await emulatorBids(h)).flatMap((b) => b.instances);
    h.emulator.controls.setInstance(instance!, { ssh_destination: "127.0.0.1:2222" });
    const r = await h.run([
      "ssh",
      bid.name,
      "--print",
      "--user",
      "me",
      "--identity",
      "/k/id",
      "-o",
      "UserKnownHostsFile=/dev/null",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `ssh -p 2222 -o StrictHostKeyChecking=accept-new -o HostKeyAlias=${instance} -i /k/id -o UserKnownHostsFile=/dev/null me@127.0.0.1\n`,
    );
    h.emulator.controls.setInstance(instance!, { ssh_destination: "203.0.113.9" });
    // the host key is checked under the instance FID, whatever IP it has today
    expect((await h.run(["ssh", bid.fid, "--print"])).stdout).toBe(
      `ssh -p 22 -o StrictHostKeyChecking=accept-new -o HostKeyAlias=${instance} ubuntu@203.0.113.9\n`,
    );
  });

  test("a task that has not won yet has no address: exit 3", async () => {
    const bid = await submit("low.yaml", JOB.replace("max_price_per_hour: 20", "max_price_per_hour: 1"), [
      "--queue",
    ]);
    const r = await h.run(["ssh", bid.name, "--print"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("has no SSH address yet: it has not won the auction yet");
  });

  test("-- command: its output is relayed with the API key masked, as every flow output", async () => {
    const bid = await submit();
    const [instance] = (await emulatorBids(h)).flatMap((b) => b.instances);
    h.emulator.controls.setInstance(instance!, { ssh_destination: "127.0.0.1:2222" });
    const key = h.env.FLOW_API_KEY!;
    // a fake ssh: prints the key on stdout and, split in two writes, on stderr
    const bin = join(h.home, "fake-ssh-bin");
    mkdirSync(bin, { recursive: true });
    const half = Math.floor(key.length / 2);
    writeFileSync(
      join(bin, "ssh"),
      `#!/bin/sh\necho "export FLOW_API_KEY=${key}"\nprintf '%s' '${key.slice(0, half)}' >&2\nsleep 0.1\nprintf '%s\\n' '${key.slice(half)} end' >&2\nexit 4\n`,
    );
    chmodSync(join(bin, "ssh"), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path ?? ""}`;
    try {
      const r = await h.run(["ssh", bid.name, "--", "env"]);
      expect(r.code).toBe(4);
      expect(r.stdout).toBe(`export FLOW_API_KEY=${"*".repeat(key.length)}\n`);
      expect(r.stderr).toBe(`${"*".repeat(key.length)} end\n`);
    } finally {
      process.env.PATH = path;
    }
  });

  test("redactingStream masks a secret split across chunks and holds back no more than it must", () => {
    let out = "";
    const stream = redactingStream(
      (t) => {
        out += t;
      },
      ["fkey_secret42"],
    );
    stream.write("token fkey_sec");
    expect(out).toBe("to");
    stream.write("ret42 and more");
    stream.end();
    expect(out).toBe(`token ${"*".repeat(13)} and more`);
    let plain = "";
    const none = redactingStream((t) => {
      plain += t;
    }, []);
    none.write("as is");
    expect(plain).toBe("as is");
  });

  test("--node takes a whole number, nothing else", async () => {
    for (const value of ["", " ", "-1", "1.5", "1e1", "0x1", "abc"]) {
      const r = await h.run(["ssh", "anything", "--print", "--node", value]);
      expect(r.code, JSON.stringify(value)).toBe(2);
      expect(r.stderr).toContain("--node must be a whole number");
    }
  });
});

describe("flow volumes", () => {
  test("create, list, refuse to delete while in use, delete", async () => {
    const c = await h.run(["volumes", "create", "data", "--size", "100", "--region", "us-central1-b"]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/^created volume `data` vol_\w+ \(100 GB, Block\) in us-central1-b\n$/);
    const list = await h.run(["volumes", "list"]);
    expect(list.stdout).toMatch(/^NAME\s+VOLUME\s+REGION\s+SIZE GB\s+INTERFACE\s+USED BY$/m);
    expect(list.stdout).toMatch(/data\s+vol_\w+\s+us-central1-b\s+100\s+Block\s+-/);
    const bid = await submit("v.yaml", `${JOB}volumes:\n  - name: data\n    mount_path: /data\n`);
    const refused = await h.run(["volumes", "delete", "data"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/DELETE \/v2\/volumes\/vol_\w+ failed with 400/);
    await h.run(["cancel", bid.fid]);
    const d = await h.run(["volumes", "delete", "data"]);
    expect(d.code, d.stderr).toBe(0);
    expect((await h.run(["volumes", "list"])).stdout).toBe("no volumes\n");
  });

  test("a DELETE whose answer was lost, retried and answered 404, has deleted the volume: success", async () => {
    expect(
      (await h.run(["volumes", "create", "gone", "--size", "10", "--region", "us-central1-b"])).code,
    ).toBe(0);
    // the server deletes the volume, then the connection drops before the answer
    h.emulator.controls.addFaults([
      { method: "DELETE", path: "/v2/volumes/*", drop: true, when: "after", times: 1 },
    ]);
    const d = await h.run(["volumes", "delete", "gone"]);
    expect(d.code, d.stderr).toBe(0);
    expect((await h.run(["volumes", "list"])).stdout).toBe("no volumes\n");
  });

  test("--timeout over 24 h is a usage error", async () => {
    const r = await h.run(["status", "--timeout", "90000"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--timeout must be at most 86400 seconds (24 h)");
    expect((await h.run(["status", "--timeout", "86400"])).code).toBe(0);
  });

  test("--interval of --watch: a positive number of seconds, at most 24 h (a longer timer fires at once)", async () => {
    for (const value of ["0", "-1", "", " ", "abc", "90000"]) {
      const r = await h.run(["status", "--watch", "--interval", value]);
      expect(r.code, value).toBe(2);
      expect(r.stderr).toContain("--interval must be");
    }
    expect((await h.run(["status", "--timeout", ""])).code).toBe(2);
  });

  test("--interval under 1 ms is refused: it would round to no wait at all (a busy poll)", async () => {
    for (const value of ["0.0001", "0.0004999", "1e-9"]) {
      const r = await h.run(["status", "--watch", "--interval", value]);
      expect(r.code, value).toBe(2);
      expect(r.stderr).toContain("--interval must be at least 0.001 seconds (1 ms)");
    }
  });

  test("bad names and sizes are usage errors; an unknown volume is exit 3", async () => {
    expect((await h.run(["volumes", "create", "Data", "--size", "1", "--region", "r"])).code).toBe(2);
    expect((await h.run(["volumes", "create", "data", "--size", "0", "--region", "r"])).code).toBe(2);
    expect((await h.run(["volumes", "delete", "nope"])).code).toBe(3);
  });

  test("a region without that volume service answers 400: exit 3 with the server's words", async () => {
    const r = await h.run(["volumes", "create", "data", "--size", "1", "--region", "mars-1"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("POST /v2/volumes failed with");
  });
});

describe("flow instance-types --live", () => {
  test("catalog joined with capacity and price per region", async () => {
    h.emulator.controls.setPool(
      h.emulator.controls.pools().find((p) => p.region === "eu-central1-a")!.instance_type,
      "eu-central1-a",
      { capacity: 3 },
    );
    const r = await h.run(["instance-types", "--live"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^TYPE\s+NAME\s+FID\s+GPUS\s+GPU GB\s+VCPUS\s+RAM GB\s+REGION\s+FREE\s+PRICE\/H$/m,
    );
    expect(r.stdout).toMatch(
      /8xh100\s+h100-80gb\.sxm\.8x\s+it_\w+\s+8\s+80\s+192\s+1800\s+us-central1-b\s+108\s+\$8\.00/,
    );
    const json = JSON.parse((await h.run(["instance-types", "--live", "--json"])).stdout);
    expect(json.offers.some((o: { capacity: number }) => o.capacity === 3)).toBe(true);
    const bad = await h.run(["instance-types", "--live"], { env: { FLOW_API_KEY: "fkey_bad" } });
    expect(bad.code).toBe(3);
  });
});
