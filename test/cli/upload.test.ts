/**
 * Code upload over SSH after boot, end to end: the emulator reports a real sshd on loopback as the
 * instance's ssh_destination; `flow run` of a project too large for the startup script waits for
 * the instance, then streams the archive into `<path>.part` and renames it. Also `flow ssh -- cmd`.
 */

import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sshArgs, uploadCommand } from "../../src/api/ssh.ts";
import { buildCodeArchive } from "../../src/backends/fcp/code/archive.ts";
import { shellQuote } from "../../src/backends/fcp/script/quote.ts";
import { emulatorBids, type Harness, startHarness } from "../api/harness.ts";
import { type Sshd, startSshd } from "../api/sshd.ts";

let sshd: Sshd;
let h: Harness;
beforeAll(async () => {
  sshd = await startSshd();
  h = await startHarness({ behaviour: { ssh_destination: `127.0.0.1:${sshd.port}` } });
});
afterAll(async () => {
  await h?.close();
  await sshd?.stop();
});

const JOB = `name: big
instance_type: 1xa100
max_price_per_hour: 2
command: ["python", "main.py"]
`;

const login = () => [
  "--ssh-user",
  sshd.user,
  "--ssh-identity",
  sshd.identity,
  ...sshd.options.flatMap((o) => ["--ssh-option", o]),
];

describe("the uploader's remote command", () => {
  /** Runs the remote command under sh with `id -u` answering `uid` and a recording `sudo`. */
  function runRemote(path: string, uid: number, data: string) {
    const bin = mkdtempSync(join(tmpdir(), "flow-upload-bin-"));
    writeFileSync(join(bin, "id"), `#!/bin/sh\necho ${uid}\n`, { mode: 0o755 });
    writeFileSync(
      join(bin, "sudo"),
      `#!/bin/sh\nprintf "%s\\n" "$*" >>"${bin}/sudo-calls"\n[ "$1" = -n ] && shift\nexec "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const r = spawnSync("sh", ["-c", uploadCommand(path)], {
      input: data,
      env: { PATH: `${bin}:/usr/bin:/bin` },
      encoding: "utf8",
    });
    const sudo = existsSync(join(bin, "sudo-calls")) ? readFileSync(join(bin, "sudo-calls"), "utf8") : "";
    return { status: r.status, stderr: r.stderr, sudo };
  }

  test("writes <path>.part then renames it, every word quoted, as root directly", () => {
    const dir = mkdtempSync(join(tmpdir(), "flow-upload-"));
    const path = join(dir, "a b", "c'd $(x)");
    const r = runRemote(path, 0, "archive bytes");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path, "utf8")).toBe("archive bytes");
    expect(existsSync(`${path}.part`)).toBe(false);
    expect(r.sudo).toBe("");
  });

  test("a non-root login (ubuntu) writes the root-owned upload directory through sudo -n", () => {
    const dir = mkdtempSync(join(tmpdir(), "flow-upload-"));
    const path = join(dir, "var/lib/flow/upload/code.tar.gz");
    const r = runRemote(path, 1000, "tgz");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path, "utf8")).toBe("tgz");
    expect(r.sudo.startsWith("-n sh -c ")).toBe(true);
  });

  test("ssh arguments: port, new host keys accepted on first use, batch mode", () => {
    expect(shellQuote("$(rm -rf /)")).toBe("'$(rm -rf /)'");
    expect(sshArgs({ destination: "10.0.0.1", user: "ubuntu" }, { batch: true })).toEqual([
      "-p",
      "22",
      "-o",
      "StrictHostKeyChecking=accept-new",
      "-o",
      "BatchMode=yes",
      "ubuntu@10.0.0.1",
    ]);
  });
});

describe("flow run with code too large for the startup script", () => {
  test("uploads the archive over SSH once the instance runs; the bytes are the compiler's archive", async () => {
    // incompressible data: the archive cannot travel inside a 10,000-byte script
    h.write({
      "job.yaml": JOB,
      "main.py": "print('hi')\n",
      "weights.bin": randomBytes(30_000).toString("base64"),
    });
    const target = join(sshd.dir, "remote", "upload", "code.tar.gz");
    const r = await h.run([
      "run",
      "job.yaml",
      "--upload-path",
      target,
      "--poll-interval",
      "0.05",
      ...login(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "does not fit in the startup script: uploading it over SSH once the instances run",
    );
    expect(r.stderr).toMatch(/uploaded the code to \S+ \(127\.0\.0\.1:\d+\)/);
    expect(existsSync(target)).toBe(true);
    expect(existsSync(`${target}.part`)).toBe(false);
    const uploaded = readFileSync(target);
    const expected = buildCodeArchive(h.cwd);
    expect(createHash("sha256").update(uploaded).digest("hex")).toBe(expected.sha256);
    // the script placed with the bid waits for exactly that archive
    const bid = (await emulatorBids(h))[0]!;
    expect(bid.launch_specification.startup_script!.length).toBeLessThanOrEqual(10_000);
    expect(bid.launch_specification.startup_script).toContain(expected.sha256);
  });

  test("a reused spot IP whose known key is another host's does not break the upload (HostKeyAlias)", async () => {
    // known_hosts says 127.0.0.1:port has another key: an earlier instance that had this IP
    const { generateKeyPairSync } = await import("node:crypto");
    const raw = generateKeyPairSync("ed25519")
      .publicKey.export({ format: "der", type: "spki" })
      .subarray(-32);
    const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    const blob = Buffer.concat([str(Buffer.from("ssh-ed25519")), str(raw)]).toString("base64");
    const knownHosts = sshd.options.find((o) => o.startsWith("UserKnownHostsFile="))!.split("=")[1]!;
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ssh-ed25519 ${blob}\n`);
    h.write({ "job.yaml": JOB, "weights.bin": randomBytes(30_000).toString("base64") });
    const target = join(sshd.dir, "reused", "code.tar.gz");
    const r = await h.run([
      "run",
      "job.yaml",
      "--upload-path",
      target,
      "--poll-interval",
      "0.05",
      ...login(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(target)).toBe(true);
    // the old entry stays; the instance's key was added under its FID (hashed or not)
    expect(readFileSync(knownHosts, "utf8").trim().split("\n")).toHaveLength(2);
  });

  test("a key the server refuses: exit 3, the bid stays placed and the message says where", async () => {
    h.write({ "job.yaml": JOB, "weights.bin": randomBytes(30_000).toString("base64") });
    const target = join(sshd.dir, "refused", "code.tar.gz");
    const r = await h.run([
      "run",
      "job.yaml",
      "--upload-path",
      target,
      "--poll-interval",
      "0.01",
      "--ssh-user",
      sshd.user,
      "--ssh-identity",
      join(sshd.dir, "host_key"),
      ...sshd.options.flatMap((o) => ["--ssh-option", o]),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the code upload to \S+ \(127\.0\.0\.1:\d+\) failed \(ssh exit 255\)/);
    expect(existsSync(target)).toBe(false);
  });
});

describe("code upload and a %N array", () => {
  test("cannot be combined (queued tasks are placed without an uploader): usage error, nothing placed", async () => {
    const before = (await emulatorBids(h)).length;
    h.write({
      "sweep.sbatch": "#!/bin/bash\n#SBATCH --gres=gpu:a100:1\n#SBATCH --array=0-2%1\npython sweep.py\n",
      "weights.bin": randomBytes(30_000).toString("base64"),
    });
    const r = await h.run(["slurm", "submit", "sweep.sbatch", ...login()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "queued array tasks (%1) are placed later by `flow status`, which cannot upload it",
    );
    expect(await emulatorBids(h)).toHaveLength(before);
  });
});

describe("flow ssh -- command", () => {
  test("runs the command on the instance and relays its output and exit status", async () => {
    h.write({
      "small.yaml": "name: small\ninstance_type: 1xa100\nmax_price_per_hour: 2\nupload_code: false\n",
    });
    const placed = await h.run(["run", "small.yaml", "--json"]);
    const name = JSON.parse(placed.stdout).bids[0].name;
    const args = [
      "--user",
      sshd.user,
      "--identity",
      sshd.identity,
      ...sshd.options.flatMap((o) => ["-o", o]),
    ];
    const r = await h.run(["ssh", name, ...args, "--", "echo", "hello from $(hostname)"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^hello from \S+\n$/);
    const failing = await h.run(["ssh", name, ...args, "--", "exit", "7"]);
    expect(failing.code).toBe(7);
  });
});
