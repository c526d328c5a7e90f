/**
 * Execution tests of the volumes, runtime, code and limit sections and of the compressed form:
 * whole startup scripts run under bash with stub programs first on PATH (`mount`, `umount`,
 * `mountpoint`, `blkid`, `lsblk`, `mkfs.ext4`, `apt-get`, `systemctl`, `nvidia-ctk`, `curl`, `gpg`,
 * `docker`, `sleep`, `shutdown`) that record, in one file and in order, what they were called
 * with — and the script's system paths re-rooted in a temporary directory through FLOW_ROOT.
 */
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildCodeArchive } from "../../../../../src/backends/fcp/code/archive.ts";
import {
  buildStartupScript,
  type StartupScriptOptions,
} from "../../../../../src/backends/fcp/script/assemble.ts";
import { UPLOAD_PATH } from "../../../../../src/backends/fcp/script/sections/code.ts";
import type { TaskConfig } from "../../../../../src/ir/task-config.ts";
import { bashSyntaxCheck, runScript, type ScriptRun, shellcheck } from "../../../../helpers/shell.ts";

/** Records `name [arg] [arg]…` (each argument in brackets) as one line of $STUB_DIR/calls. */
const RECORD = `l=\${0##*/}; for a in "$@"; do l+=" [$a]"; done; echo "$l" >>"$STUB_DIR/calls"`;

const STUBS: Record<string, string> = {
  mount: RECORD,
  umount: RECORD,
  "mkfs.ext4": RECORD,
  mountpoint: `${RECORD}\n[ -n "\${STUB_SHARES-}" ] && [[ " $STUB_SHARES " == *" \${2##*/} "* ]]`,
  // blkid -p: 0 found a signature, 2 found nothing, 8 ambivalent (STUB_BLKID)
  blkid: `${RECORD}\nexit "\${STUB_BLKID:-0}"`,
  // lsblk -no FSTYPE,PTTYPE: a blank line for an empty disk, else STUB_LSBLK
  lsblk: `${RECORD}\necho "\${STUB_LSBLK:- }"`,
  // installing the toolkit puts nvidia-ctk on PATH, as the package does; `update` fails the first
  // STUB_APT_UPDATE_FAILS times (another apt holds the lists lock)
  "apt-get": `${RECORD}\necho "apt-get env: DEBIAN_FRONTEND=\${DEBIAN_FRONTEND-unset}" >>"$STUB_DIR/calls"
if [[ " $* " == *" update "* ]]; then n=$(($(cat "$STUB_DIR/updates" 2>/dev/null || echo 0) + 1)); echo "$n" >"$STUB_DIR/updates"; [ "$n" -gt "\${STUB_APT_UPDATE_FAILS:-0}" ] || exit 100; fi
case " $* " in *" nvidia-container-toolkit "*) cp "$STUB_DIR/record" "\${0%/*}/nvidia-ctk";; esac`,
  systemctl: RECORD,
  "nvidia-ctk": RECORD,
  curl: `${RECORD}\necho "KEY"`,
  gpg: `${RECORD}\ncat >/dev/null`,
  docker: `${RECORD}\nexit "\${STUB_DOCKER_EXIT:-0}"`,
  shutdown: RECORD,
  // An upload "arrives" on the first wait, the way the uploader writes it: .part, then rename.
  sleep: `${RECORD}\nif [ -n "\${STUB_UPLOAD-}" ] && [ ! -e "$STUB_DIR/delivered" ]; then touch "$STUB_DIR/delivered"; cp "$STUB_UPLOAD" "$FLOW_ROOT${UPLOAD_PATH}.part"; mv "$FLOW_ROOT${UPLOAD_PATH}.part" "$FLOW_ROOT${UPLOAD_PATH}"; fi`,
};

interface Box {
  readonly root: string;
  readonly fs: string;
  readonly bin: string;
  readonly stub: string;
  readonly logs: string;
  readonly work: string;
  readonly env: Record<string, string>;
}

const boxes: string[] = [];
afterEach(() => {
  for (const dir of boxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function box(options: { without?: readonly string[] } = {}): Box {
  const root = mkdtempSync(join(tmpdir(), "flow-sections-"));
  boxes.push(root);
  const fs = join(root, "fs");
  const bin = join(root, "bin");
  const stub = join(root, "stub");
  for (const dir of [bin, stub, join(fs, "etc/apt/sources.list.d"), join(fs, "usr/share/keyrings")]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(join(fs, "etc/fstab"), "LABEL=root / ext4 defaults 0 1\n");
  writeFileSync(join(stub, "record"), `#!/bin/bash\n${RECORD}\n`, { mode: 0o755 });
  for (const [name, body] of Object.entries(STUBS)) {
    if (options.without?.includes(name)) continue;
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const logs = join(root, "logs");
  return {
    root,
    fs,
    bin,
    stub,
    logs,
    work: join(root, "work dir"),
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      FLOW_ROOT: fs,
      FLOW_LOG_DIR: logs,
      STUB_DIR: stub,
      LC_ALL: "C.UTF-8",
    },
  };
}

function script(task: TaskConfig, options: StartupScriptOptions = {}): string {
  const result = buildStartupScript(task, options);
  if (result.text === undefined) throw new Error(result.diagnostics[0]?.message);
  bashSyntaxCheck(result.text);
  shellcheck(result.text);
  return result.text;
}

function run(b: Box, text: string, env: Record<string, string> = {}): ScriptRun & { out: string } {
  const result = runScript(text, { ...b.env, ...env });
  return { ...result, out: result.stdout.toString() + result.stderr.toString() };
}

function calls(b: Box): string[] {
  const file = join(b.stub, "calls");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(0, -1) : [];
}

function device(b: Box, name: string): string {
  const dir = join(b.fs, "dev/disk/by-id");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `virtio-${name}`), "");
  return `${b.fs}/dev/disk/by-id/virtio-${name}`;
}

const HOST: TaskConfig = { name: "t", upload_code: false, command: ["true"] };

describe("volumes section (executed)", () => {
  it("formats an empty block volume, mounts it and adds a nofail fstab line", () => {
    const b = box();
    const dev = device(b, "datasets");
    const inode = statSync(join(b.fs, "etc/fstab")).ino;
    const result = run(b, script({ ...HOST, volumes: [{ name: "datasets", size_gb: 10 }] }), {
      STUB_BLKID: "2",
    });
    expect(result.status, result.out).toBe(0);
    expect(calls(b)).toEqual([
      `blkid [-p] [${dev}]`,
      `lsblk [-no] [FSTYPE,PTTYPE] [${dev}]`,
      `mkfs.ext4 [-q] [${dev}]`,
      `mount [${dev}] [${b.fs}/volumes/datasets]`,
    ]);
    expect(existsSync(join(b.fs, "volumes/datasets"))).toBe(true);
    expect(readFileSync(join(b.fs, "etc/fstab"), "utf8")).toBe(
      "LABEL=root / ext4 defaults 0 1\n/dev/disk/by-id/virtio-datasets /volumes/datasets ext4 defaults,nofail 0 2\n",
    );
    // a new file renamed over the old one (never written in place), the original kept once,
    // no temporary file left beside it
    expect(statSync(join(b.fs, "etc/fstab")).ino).not.toBe(inode);
    expect(readFileSync(join(b.fs, "etc/fstab.flow-bak"), "utf8")).toBe("LABEL=root / ext4 defaults 0 1\n");
    expect(existsSync(join(b.fs, "etc/fstab.flow-tmp"))).toBe(false);
    expect(result.out).toContain("flow: volume datasets at /volumes/datasets");
    expect(result.out).toContain("/mnt/local is scratch NVMe");
  });

  it("never formats a volume that has a filesystem, nor one blkid cannot read", () => {
    const b = box();
    const dev = device(b, "d");
    const text = script({ ...HOST, volumes: [{ name: "d", size_gb: 10, mount_path: "/my data" }] });
    expect(run(b, text, { STUB_BLKID: "0" }).status).toBe(0);
    expect(calls(b)).toEqual([`blkid [-p] [${dev}]`, `mount [${dev}] [${b.fs}/my data]`]);
    expect(readFileSync(join(b.fs, "etc/fstab"), "utf8")).toContain(
      "/dev/disk/by-id/virtio-d /my\\040data ext4 defaults,nofail 0 2\n",
    );
    const c = box();
    device(c, "d");
    const failed = run(c, text, { STUB_BLKID: "4" });
    expect(failed.status).toBe(1);
    expect(failed.out).toContain(
      "flow: volume d: not formatting /dev/disk/by-id/virtio-d, it may hold data (blkid -p: 4, lsblk: nothing)",
    );
    expect(calls(c).some((line) => line.startsWith("mkfs") || line.startsWith("mount"))).toBe(false);
    expect(readFileSync(join(c.logs, "exit-status"), "utf8")).toBe("1\n");
  });

  it("stops, formatting nothing, when blkid -p is ambivalent or lsblk sees what blkid did not", () => {
    const text = script({ ...HOST, volumes: [{ name: "d", size_gb: 10 }] });
    // blkid -p status 8: more than one signature, none of them sure
    const b = box();
    const dev = device(b, "d");
    const ambivalent = run(b, text, { STUB_BLKID: "8" });
    expect(ambivalent.status).toBe(1);
    expect(ambivalent.out).toContain(
      "flow: volume d: not formatting /dev/disk/by-id/virtio-d, it may hold data (blkid -p: 8",
    );
    expect(calls(b)).toEqual([`blkid [-p] [${dev}]`]);
    expect(readFileSync(join(b.fs, "etc/fstab"), "utf8")).toBe("LABEL=root / ext4 defaults 0 1\n");
    expect(readFileSync(join(b.logs, "exit-status"), "utf8")).toBe("1\n");
    // blkid -p finds nothing, but lsblk reports a partition table
    const c = box();
    const disk = device(c, "d");
    const partitioned = run(c, text, { STUB_BLKID: "2", STUB_LSBLK: "       gpt" });
    expect(partitioned.status).toBe(1);
    expect(partitioned.out).toContain("(blkid -p: 2, lsblk:        gpt)");
    expect(calls(c)).toEqual([`blkid [-p] [${disk}]`, `lsblk [-no] [FSTYPE,PTTYPE] [${disk}]`]);
  });

  it("finds a disk by the first 36 characters of a long name", () => {
    const b = box();
    const name = "a-very-long-volume-name-that-goes-beyond-36";
    const dev = device(b, name.slice(0, 36));
    expect(run(b, script({ ...HOST, volumes: [{ name, size_gb: 1 }] })).status).toBe(0);
    expect(calls(b)[0]).toBe(`blkid [-p] [${dev}]`);
  });

  it("re-points a file share's fstab entry to the mount path and remounts it there", () => {
    const b = box();
    writeFileSync(
      join(b.fs, "etc/fstab"),
      "LABEL=root / ext4 defaults 0 1\nnfs.example:/share /mnt/results nfs defaults 0 0\n",
    );
    const task = { ...HOST, volumes: [{ name: "results", size_gb: 10, interface: "file" as const }] };
    const inode = statSync(join(b.fs, "etc/fstab")).ino;
    const result = run(b, script(task), { STUB_SHARES: "results" });
    expect(result.status, result.out).toBe(0);
    expect(calls(b)).toEqual([
      `mountpoint [-q] [${b.fs}/mnt/results]`,
      `umount [${b.fs}/mnt/results]`,
      `mount [${b.fs}/volumes/results]`,
    ]);
    expect(readFileSync(join(b.fs, "etc/fstab"), "utf8")).toBe(
      "LABEL=root / ext4 defaults 0 1\nnfs.example:/share /volumes/results nfs defaults 0 0\n",
    );
    expect(readFileSync(join(b.fs, "etc/fstab.flow-bak"), "utf8")).toBe(
      "LABEL=root / ext4 defaults 0 1\nnfs.example:/share /mnt/results nfs defaults 0 0\n",
    );
    expect(statSync(join(b.fs, "etc/fstab")).ino).not.toBe(inode);
  });

  it("takes an existing volume as a disk or a share, whichever appears", () => {
    const b = box();
    const dev = device(b, "ckpt");
    writeFileSync(join(b.fs, "etc/fstab"), "srv:/s /mnt/shared nfs defaults 0 0\n");
    const task = {
      ...HOST,
      volumes: [
        { volume_id: "vol_1", name: "ckpt", mount_path: "/ckpt" },
        { name: "shared", mount_path: "/mnt/shared" },
      ],
    };
    const result = run(b, script(task), { STUB_SHARES: "shared" });
    expect(result.status, result.out).toBe(0);
    expect(calls(b)).toEqual([
      `blkid [-p] [${dev}]`,
      `mount [${dev}] [${b.fs}/ckpt]`,
      // the disk of `shared` is looked for first; its share is already where it should be
      `mountpoint [-q] [${b.fs}/mnt/shared]`,
    ]);
  });

  it("stops with a message naming the volume when it never appears", () => {
    const b = box();
    const result = run(b, script({ ...HOST, volumes: [{ name: "gone", size_gb: 1 }] }));
    expect(result.status).toBe(1);
    expect(result.out).toContain("flow: volume gone did not appear (/dev/disk/by-id/virtio-gone)");
    expect(calls(b).filter((c) => c === "sleep [5]")).toHaveLength(59);
  });
});

describe("runtime section (executed)", () => {
  const image = "nvcr.io/nvidia/pytorch:24.05-py3";

  it("installs the NVIDIA toolkit only when missing, then pulls and runs", () => {
    const b = box({ without: ["nvidia-ctk"] });
    const task: TaskConfig = {
      name: "t",
      upload_code: false,
      image,
      command: ["python", "x.py"],
      env: { A: "1" },
    };
    const result = run(b, script(task));
    expect(result.status, result.out).toBe(0);
    const apt = "apt-get [-qq] [-o] [DPkg::Lock::Timeout=600]";
    // curl and gpg run at once, as a pipeline
    expect(calls(b).slice(0, 2).sort()).toEqual([
      "curl [-fsSL] [--retry] [5] [--retry-connrefused] [https://nvidia.github.io/libnvidia-container/gpgkey]",
      `gpg [--dearmor] [--yes] [-o] [${b.fs}/usr/share/keyrings/nvidia-container-toolkit.gpg]`,
    ]);
    const stop = "systemctl [stop] [unattended-upgrades] [apt-daily.service] [apt-daily-upgrade.service]";
    expect(calls(b).slice(2)).toEqual([
      stop,
      `${apt} [update]`,
      "apt-get env: DEBIAN_FRONTEND=noninteractive",
      stop,
      `${apt} [install] [-y] [nvidia-container-toolkit]`,
      "apt-get env: DEBIAN_FRONTEND=noninteractive",
      "nvidia-ctk [runtime] [configure] [--runtime=docker]",
      "systemctl [restart] [docker]",
      `docker [pull] [${image}]`,
      `docker [run] [--rm] [--gpus] [all] [--network] [host] [-e] [A] [${image}] [python] [x.py]`,
    ]);
    expect(readFileSync(join(b.fs, "etc/apt/sources.list.d/nvidia-container-toolkit.list"), "utf8")).toBe(
      "deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit.gpg] https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /\n",
    );
  });

  it("installs nothing when docker and the toolkit are there", () => {
    const b = box();
    const task: TaskConfig = { name: "t", upload_code: false, image, command: ["x"] };
    expect(run(b, script(task)).status).toBe(0);
    expect(calls(b).map((c) => c.split(" ")[0])).toEqual(["docker", "docker"]);
  });

  it("mounts volumes into the container at their paths", () => {
    const b = box();
    const dev = device(b, "data");
    const task: TaskConfig = {
      name: "t",
      upload_code: false,
      image,
      command: ["x"],
      volumes: [{ name: "data", size_gb: 5, mount_path: "/data" }],
    };
    expect(run(b, script(task)).status).toBe(0);
    expect(calls(b)).toContain(`mount [${dev}] [${b.fs}/data]`);
    expect(calls(b).at(-1)).toBe(
      `docker [run] [--rm] [--gpus] [all] [--network] [host] [-v] [${b.fs}/data:/data] [${image}] [x]`,
    );
  });
});

describe("code section (executed)", () => {
  function project(b: Box): string {
    const dir = join(b.root, "project");
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(join(dir, "train.py"), "print('hi')\n");
    writeFileSync(join(dir, "src", "model.py"), "MODEL = 'm'\n");
    writeFileSync(join(dir, "run.sh"), "#!/bin/sh\necho run\n", { mode: 0o755 });
    // 6,000 hex digits of a hash chain: too much to travel inside a 3,000-byte script
    let hex = "";
    for (
      let h = createHash("sha256").update("w").digest();
      hex.length < 6_000;
      h = createHash("sha256").update(h).digest()
    ) {
      hex += h.toString("hex");
    }
    writeFileSync(join(dir, "weights.hex"), hex);
    return dir;
  }

  /** The limit that leaves the code no room: it must travel by upload. */
  const UPLOAD_LIMIT = 3_000;

  const task: TaskConfig = {
    name: "t",
    command: ["bash", "-c", 'cat train.py src/model.py >"$STUB_DIR/seen"; ./run.sh >>"$STUB_DIR/seen"'],
  };

  it("unpacks embedded code into the working directory before the command", () => {
    const b = box();
    const code = buildCodeArchive(project(b));
    const result = buildStartupScript({ ...task, working_dir: b.work }, { code });
    expect(result.code).toEqual({
      mode: "embedded",
      sha256: code.sha256,
      bytes: code.bytes,
      uploadPath: UPLOAD_PATH,
    });
    shellcheck(result.text!);
    const ran = run(b, result.text!);
    expect(ran.status, ran.out).toBe(0);
    expect(readFileSync(join(b.stub, "seen"), "utf8")).toBe("print('hi')\nMODEL = 'm'\nrun\n");
  });

  it("waits for an upload, checks its sha256 and unpacks it", () => {
    const b = box();
    const code = buildCodeArchive(project(b));
    const archive = join(b.root, "code.tar.gz");
    writeFileSync(archive, code.archive);
    const result = buildStartupScript({ ...task, working_dir: b.work }, { code, limit: UPLOAD_LIMIT });
    expect(result.code?.mode).toBe("upload");
    const ran = run(b, result.text!, { STUB_UPLOAD: archive });
    expect(ran.status, ran.out).toBe(0);
    expect(ran.out).toContain(`flow: waiting up to 30 min for the code upload at ${UPLOAD_PATH}`);
    expect(readFileSync(join(b.stub, "seen"), "utf8")).toBe("print('hi')\nMODEL = 'm'\nrun\n");
  });

  it("refuses an upload that is not the compiled archive", () => {
    const b = box();
    const code = buildCodeArchive(project(b));
    const other = join(b.root, "other.tar.gz");
    writeFileSync(join(b.root, "project", "train.py"), "print('changed')\n");
    writeFileSync(other, buildCodeArchive(join(b.root, "project")).archive);
    const result = buildStartupScript({ ...task, working_dir: b.work }, { code, limit: UPLOAD_LIMIT });
    const ran = run(b, result.text!, { STUB_UPLOAD: other });
    expect(ran.status).toBe(1);
    expect(ran.out).toContain(`the uploaded code is not the compiled one (sha256 ${code.sha256})`);
    expect(existsSync(join(b.stub, "seen"))).toBe(false);
  });

  it("gives up after 30 minutes of polling without an upload", () => {
    const b = box();
    const code = buildCodeArchive(project(b));
    const result = buildStartupScript({ ...task, working_dir: b.work }, { code, limit: UPLOAD_LIMIT });
    const ran = run(b, result.text!);
    expect(ran.status).toBe(1);
    expect(ran.out).toContain(`flow: no code arrived at ${UPLOAD_PATH} in 30 min`);
    expect(calls(b).filter((c) => c === "sleep [5]")).toHaveLength(360);
  });
});

describe("run-time limit and auto_terminate (executed)", () => {
  it("stops the command at max_run_time_hours, says so and powers off", () => {
    const b = box();
    const task: TaskConfig = { ...HOST, command: ["/bin/sleep", "30"], max_run_time_hours: 1 / 3600 };
    const started = Date.now();
    const result = run(b, script(task));
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.status).toBe(124);
    expect(result.out).toContain("flow: the run-time limit of 1 s stopped the command; powering off");
    expect(calls(b)).toEqual(["shutdown [-h] [now]"]);
    expect(readFileSync(join(b.logs, "exit-status"), "utf8")).toBe("124\n");
  });

  it("leaves a command that ends in time (even with status 124) alone", () => {
    const b = box();
    const task: TaskConfig = { ...HOST, command: ["bash", "-c", "exit 124"], max_run_time_hours: 1 };
    const result = run(b, script(task));
    expect(result.status).toBe(124);
    expect(calls(b)).toEqual([]);
  });

  it("runs a container under timeout with --init, so its process gets the signal", () => {
    const b = box();
    const task: TaskConfig = {
      name: "t",
      upload_code: false,
      image: "img",
      command: ["x"],
      max_run_time_hours: 2,
    };
    expect(run(b, script(task)).status).toBe(0);
    expect(calls(b).at(-1)).toBe("docker [run] [--rm] [--gpus] [all] [--network] [host] [--init] [img] [x]");
    expect(script(task)).toContain('if "$FLOW_TIMEOUT" -k 60 7200 "$FLOW_DOCKER" run ');
  });

  it("powers off after the script ends with auto_terminate, and records status and end time", () => {
    const b = box();
    const result = run(b, script({ ...HOST, command: ["false"], auto_terminate: true }));
    expect(result.status).toBe(1);
    expect(calls(b)).toEqual(["shutdown [-h] [now]"]);
    expect(readFileSync(join(b.logs, "exit-status"), "utf8")).toBe("1\n");
    expect(readFileSync(join(b.logs, "end-time"), "utf8")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    const c = box();
    expect(run(c, script({ ...HOST, command: ["false"] })).status).toBe(1);
    expect(calls(c)).toEqual([]);
  });
});

describe("a task PATH without the system's directories (executed)", () => {
  // The stubs (shutdown among them) are found only through the script's own PATH; the task's
  // PATH below has neither them nor, in the second case, /usr/bin (timeout, date).
  const conda = "/opt/conda/bin:/usr/bin:/bin";

  it("still powers off with auto_terminate, and the command sees the task's PATH", () => {
    const b = box();
    const task: TaskConfig = {
      ...HOST,
      command: ["/bin/bash", "-c", 'echo "$PATH" >"$STUB_DIR/path"; exit 3'],
      env: { PATH: conda },
      auto_terminate: true,
    };
    const result = run(b, script(task));
    expect(result.status, result.out).toBe(3);
    expect(readFileSync(join(b.stub, "path"), "utf8")).toBe(`${conda}\n`);
    expect(calls(b)).toEqual(["shutdown [-h] [now]"]);
    expect(readFileSync(join(b.logs, "exit-status"), "utf8")).toBe("3\n");
    expect(readFileSync(join(b.logs, "end-time"), "utf8")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
  });

  it("still stops the command at the run-time limit and powers off", () => {
    const b = box();
    const task: TaskConfig = {
      ...HOST,
      command: ["/bin/sleep", "30"],
      env: { PATH: "/opt/conda/bin" },
      max_run_time_hours: 1 / 3600,
    };
    const started = Date.now();
    const result = run(b, script(task));
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.status, result.out).toBe(124);
    expect(result.out).toContain("flow: the run-time limit of 1 s stopped the command; powering off");
    expect(calls(b)).toEqual(["shutdown [-h] [now]"]);
    expect(readFileSync(join(b.logs, "exit-status"), "utf8")).toBe("124\n");
  });

  it("runs a shell command with bash and a container with docker, each job seeing the task's PATH", () => {
    const b = box();
    const shell: TaskConfig = {
      name: "t",
      upload_code: false,
      shell: 'echo "$PATH" >"$STUB_DIR/path"',
      env: { PATH: "/opt/x" },
    };
    expect(run(b, script(shell)).status).toBe(0);
    expect(readFileSync(join(b.stub, "path"), "utf8")).toBe("/opt/x\n");
    const c = box();
    const container: TaskConfig = { ...HOST, image: "img", env: { PATH: "/opt/x" }, max_run_time_hours: 1 };
    expect(run(c, script(container)).status).toBe(0);
    expect(calls(c).at(-1)).toBe(
      "docker [run] [--rm] [--gpus] [all] [--network] [host] [--init] [-e] [PATH] [img] [true]",
    );
  });
});

describe("first-boot apt (executed)", () => {
  it("tries apt-get update again, 15 s apart, while another apt holds its lists lock", () => {
    const b = box({ without: ["nvidia-ctk"] });
    const task: TaskConfig = { ...HOST, image: "img" };
    const result = run(b, script(task), { STUB_APT_UPDATE_FAILS: "3" });
    expect(result.status, result.out).toBe(0);
    const updates = calls(b).filter((c) => c.endsWith("[update]"));
    expect(updates).toHaveLength(4);
    expect(calls(b).filter((c) => c === "sleep [15]")).toHaveLength(3);
    expect(result.out).toContain("flow: apt-get update failed; again in 15 s");
    expect(calls(b)).toContain("nvidia-ctk [runtime] [configure] [--runtime=docker]");
  });

  it("gives up after ten tries of apt-get update", () => {
    const b = box({ without: ["nvidia-ctk"] });
    const result = run(b, script({ ...HOST, image: "img" }), { STUB_APT_UPDATE_FAILS: "99" });
    expect(result.status).toBe(1);
    expect(calls(b).filter((c) => c.endsWith("[update]"))).toHaveLength(10);
    expect(calls(b).filter((c) => c === "sleep [15]")).toHaveLength(9);
    expect(calls(b).some((c) => c.includes("[install]"))).toBe(false);
    expect(readFileSync(join(b.logs, "exit-status"), "utf8")).toBe("1\n");
  });
});

describe("the compressed form (executed)", () => {
  const body = Array.from(
    { length: 400 },
    (_, i) =>
      `echo "step ${i}: $(( ${i} * 7 ))" >>"$STUB_DIR/steps" # ${createHash("md5").update(String(i)).digest("hex").slice(0, 6)}`,
  ).join("\n");
  const task: TaskConfig = {
    name: "t",
    upload_code: false,
    image: "img",
    script: `${body}\n`,
    env: { NOTE: 'it\'s "quoted" $(not run)' },
    volumes: [{ name: "data", size_gb: 1 }],
  };

  it("decodes, checks and runs the whole script, with the same calls in the same order", () => {
    const result = buildStartupScript(task);
    expect(result.form).toBe("compressed");
    expect(result.raw.bytes).toBeGreaterThan(10_000);
    bashSyntaxCheck(result.text!);
    shellcheck(result.text!);
    const b = box();
    const dev = device(b, "data");
    const ran = run(b, result.text!);
    expect(ran.status, ran.out).toBe(0);
    expect(calls(b)).toEqual([
      `blkid [-p] [${dev}]`,
      `mount [${dev}] [${b.fs}/volumes/data]`,
      "docker [pull] [img]",
      `docker [run] [--rm] [--gpus] [all] [--network] [host] [-v] [${b.fs}/volumes/data:/volumes/data] [-e] [NOTE] [-v] [${b.logs}/task-script:/flow-task-script:ro] [img] [bash] [/flow-task-script]`,
    ]);
    expect(readFileSync(join(b.logs, "task-script"), "utf8")).toBe(`${body}\n`);
    expect(readFileSync(join(b.logs, "exit-status"), "utf8")).toBe("0\n");
  });

  it("refuses to run a damaged script", () => {
    const result = buildStartupScript(task);
    const lines = result.text!.split("\n");
    const at = lines.findIndex((l) => l.length > 1_000);
    const data = Buffer.from(lines[at]!, "base64");
    // flip one byte inside the deflate stream, keeping the gzip framing
    data[data.length >> 1] = (data[data.length >> 1] ?? 0) ^ 0x01;
    lines[at] = data.toString("base64");
    const b = box();
    device(b, "data");
    const ran = run(b, lines.join("\n"));
    expect(ran.status).not.toBe(0);
    expect(calls(b)).toEqual([]);
    // the outcome is recorded as the raw script's trap would
    expect(readFileSync(join(b.logs, "exit-status"), "utf8")).toBe(`${ran.status}\n`);
    expect(readFileSync(join(b.logs, "end-time"), "utf8")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
  });

  it("records a failed sha256 check and powers off with auto_terminate", () => {
    const result = buildStartupScript({ ...task, auto_terminate: true });
    expect(result.form).toBe("compressed");
    // a script that decodes but is not the compiled one
    const text = result.text!.replace(/^echo "[0-9a-f]{64} /m, `echo "${"0".repeat(64)} `);
    const b = box();
    device(b, "data");
    const ran = run(b, text);
    expect(ran.status).toBe(1);
    expect(calls(b)).toEqual(["shutdown [-h] [now]"]);
    expect(readFileSync(join(b.logs, "exit-status"), "utf8")).toBe("1\n");
    expect(existsSync(join(b.logs, "end-time"))).toBe(true);
  });
});

describe("every section together (executed)", () => {
  it("mounts, installs, unpacks, exports and runs in that order, then powers off", () => {
    const b = box({ without: ["nvidia-ctk"] });
    const disk = device(b, "data");
    const project = join(b.root, "project");
    mkdirSync(project);
    writeFileSync(join(project, "train.py"), "print('train')\n");
    const task: TaskConfig = {
      name: "t",
      image: "img:1",
      working_dir: b.work,
      script: "#!/bin/bash\npython train.py\n",
      env: { MODE: "fast" },
      volumes: [
        { name: "data", size_gb: 10, mount_path: "/data" },
        { volume_id: "vol_x", name: "ckpt", mount_path: "/ckpt" },
      ],
      max_run_time_hours: 1,
      auto_terminate: true,
    };
    const result = buildStartupScript(task, { code: buildCodeArchive(project) });
    expect(result.code?.mode).toBe("embedded");
    shellcheck(result.text!);
    const ran = run(b, result.text!, { STUB_BLKID: "2", STUB_SHARES: "ckpt" });
    expect(ran.status, ran.out).toBe(0);
    const order = calls(b).map((c) => c.split(" ")[0]);
    expect(order.filter((c) => c !== "apt-get" && c !== "systemctl" && c !== "curl" && c !== "gpg")).toEqual([
      "blkid",
      "lsblk",
      "mkfs.ext4",
      "mount",
      // ckpt appears as a share at /mnt/ckpt: re-pointed to /ckpt
      "mountpoint",
      "umount",
      "mount",
      "nvidia-ctk",
      "docker",
      "docker",
      "shutdown",
    ]);
    expect(calls(b)[3]).toBe(`mount [${disk}] [${b.fs}/data]`);
    expect(calls(b).at(-2)).toBe(
      `docker [run] [--rm] [--gpus] [all] [--network] [host] [--init] [-w] [${b.work}] [-v] [${b.work}:${b.work}] ` +
        `[-v] [${b.fs}/data:/data] [-v] [${b.fs}/ckpt:/ckpt] [-e] [MODE] [-v] [${b.logs}/task-script:/flow-task-script:ro] [img:1] [/flow-task-script]`,
    );
    expect(calls(b).at(-1)).toBe("shutdown [-h] [now]");
    // the code was unpacked into the working directory before the command
    expect(readFileSync(join(b.work, "train.py"), "utf8")).toBe("print('train')\n");
  });
});
