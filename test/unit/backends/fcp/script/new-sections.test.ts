/**
 * The volumes, runtime, code and limit sections, the header's exit trap and the compressed form,
 * as text: each present only when the task needs it, valid bash, and saying what it must.
 * (sections-exec.test.ts runs them.)
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { compressedScript, gzipDeterministic } from "../../../../../src/backends/fcp/script/budget.ts";
import {
  afterCommandLines,
  limitByWatchdog,
  runTimeLimitSeconds,
  timeoutPrefix,
  watchdogLine,
} from "../../../../../src/backends/fcp/script/limit.ts";
import { rooted } from "../../../../../src/backends/fcp/script/root.ts";
import { codeSection, UPLOAD_PATH } from "../../../../../src/backends/fcp/script/sections/code.ts";
import { headerSection } from "../../../../../src/backends/fcp/script/sections/header.ts";
import { limitSection } from "../../../../../src/backends/fcp/script/sections/limit.ts";
import { runtimeSection } from "../../../../../src/backends/fcp/script/sections/runtime.ts";
import {
  fstabPath,
  volumeMounts,
  volumesSection,
} from "../../../../../src/backends/fcp/script/sections/volumes.ts";
import type { TaskConfig } from "../../../../../src/ir/task-config.ts";
import { bashSyntaxCheck, shellcheck } from "../../../../helpers/shell.ts";

/**
 * A section is checked inside a script that has the header before it, as it always does (a task's
 * with a command: an empty task's header also resolves `sleep` for its run section), and, after
 * the runtime section, a use of the docker path it resolves for the run section.
 */
function checked(text: string): void {
  const docker = text.includes("FLOW_DOCKER=") ? ': "$FLOW_DOCKER"\n' : "";
  const script = headerSection({ command: ["true"] }).text + text + docker;
  bashSyntaxCheck(script);
  shellcheck(script);
}

describe("headerSection", () => {
  it("records the exit status and the end time on every exit, its programs resolved before the trap", () => {
    const text = headerSection().text;
    const trap = `trap 'echo "$?" >"$FLOW_LOG_DIR"/exit-status;"$FLOW_DATE" -u +%FT%TZ >"$FLOW_LOG_DIR"/end-time' EXIT\n`;
    expect(text).toContain(trap);
    expect(text.indexOf("FLOW_DATE=$(command -v date||echo date)\n")).toBeGreaterThan(0);
    expect(text.indexOf("FLOW_DATE=$(command -v date||echo date)\n")).toBeLessThan(text.indexOf(trap));
    expect(text).not.toContain("shutdown");
  });

  it("powers the instance off on exit with auto_terminate only", () => {
    const text = headerSection({ auto_terminate: true }).text;
    expect(text).toContain(`;"$FLOW_SHUTDOWN" -h now' EXIT\n`);
    expect(text).toContain("\nFLOW_SHUTDOWN=$(command -v shutdown||echo shutdown)\n");
    expect(headerSection({ auto_terminate: false }).text).toBe(headerSection().text);
    checked("");
  });

  it("resolves, before the env section, only the programs the task runs after it", () => {
    const resolved = (task: TaskConfig) =>
      [...headerSection(task).text.matchAll(/^FLOW_([A-Z]+)=\$\(command -v /gm)].map((m) => m[1]);
    expect(resolved({ name: "t", command: ["x"] })).toEqual(["DATE"]);
    expect(resolved({ name: "t" })).toEqual(["DATE", "SLEEP"]);
    expect(resolved({ name: "t", image: "i" })).toEqual(["DATE"]);
    expect(resolved({ name: "t", shell: "x" })).toEqual(["DATE", "BASH"]);
    expect(resolved({ name: "t", script: "#!/bin/sh\nx" })).toEqual(["DATE"]);
    expect(resolved({ name: "t", script: "x" })).toEqual(["DATE", "BASH"]);
    expect(resolved({ name: "t", command: ["x"], max_run_time_hours: 1 })).toEqual([
      "DATE",
      "SHUTDOWN",
      "TIMEOUT",
    ]);
    const batch: TaskConfig = {
      name: "t",
      command: ["x"],
      slurm: { time_limit_minutes: 60, signal: { name: "USR1", seconds_before: 120, batch_only: true } },
    };
    expect(resolved(batch)).toEqual(["DATE", "SHUTDOWN", "SLEEP", "TEE"]);
    expect(headerSection(batch).text).toMatch(/\nFLOW_PATH=\$PATH\n$/);
  });
});

describe("volumesSection", () => {
  it("is absent without a volume it can mount", () => {
    expect(volumesSection({ name: "t" })).toBeUndefined();
    expect(volumesSection({ name: "t", volumes: [{ volume_id: "vol_x" }, { size_gb: 5 }] })).toBeUndefined();
  });

  it("knows each volume's kind and path", () => {
    expect(
      volumeMounts({
        name: "t",
        volumes: [
          { name: "a", size_gb: 1 },
          { name: "b", size_gb: 1, interface: "file", mount_path: "/b" },
          { name: "c", volume_id: "vol_c" },
          { name: "d" },
          { name: "e", interface: "block" },
          { volume_id: "vol_unnamed" },
        ],
      }),
    ).toEqual([
      { kind: "block", name: "a", mountPath: "/volumes/a" },
      { kind: "file", name: "b", mountPath: "/b" },
      { kind: "either", name: "c", mountPath: "/volumes/c" },
      { kind: "either", name: "d", mountPath: "/volumes/d" },
      { kind: "block", name: "e", mountPath: "/volumes/e" },
    ]);
  });

  it("escapes what fstab cannot hold", () => {
    expect(fstabPath("/plain/path")).toBe("/plain/path");
    expect(fstabPath("/a b\tc\\d\ne")).toBe("/a\\040b\\011c\\134d\\012e");
  });

  it("emits only the code the kinds need, and calls without a kind letter when there is one kind", () => {
    const block = volumesSection({ name: "t", volumes: [{ name: "a", size_gb: 1 }] })!;
    expect(block.text).toContain("mkfs.ext4");
    expect(block.text).not.toContain("mountpoint");
    expect(block.text).toContain("\nflow_volume a /volumes/a\n");
    checked(block.text);
    const file = volumesSection({ name: "t", volumes: [{ name: "s", size_gb: 1, interface: "file" }] })!;
    expect(file.text).not.toContain("mkfs");
    expect(file.text).toContain("mountpoint -q");
    checked(file.text);
    const mixed = volumesSection({
      name: "t",
      volumes: [
        { name: "a", size_gb: 1, mount_path: "/my data" },
        { name: "s", size_gb: 1, interface: "file" },
      ],
    })!;
    expect(mixed.text).toContain("\nflow_volume b a '/my data' '/my\\040data'\nflow_volume f s /volumes/s\n");
    checked(mixed.text);
    expect(block.text).toContain("nofail");
    expect(block.text).toContain("/dev/disk/by-id/virtio-");
  });
});

describe("runtimeSection", () => {
  it("is absent on the host, and installs Docker and the toolkit only when missing", () => {
    expect(runtimeSection({ name: "t" })).toBeUndefined();
    const s = runtimeSection({ name: "t", image: "ubuntu:22.04" })!;
    expect(s.text).toContain(
      "if ! command -v docker >/dev/null; then flow_apt update; flow_apt install -y docker.io; fi",
    );
    expect(s.text).toContain("if ! command -v nvidia-ctk >/dev/null; then");
    expect(s.text).toContain("DPkg::Lock::Timeout=600");
    expect(s.text).toContain("  docker pull ubuntu:22.04 && break");
    checked(s.text);
  });
});

describe("codeSection", () => {
  const archive = gzipDeterministic(Buffer.from("not really a tar"));
  const sha256 = createHash("sha256").update(archive).digest("hex");

  it("embeds the archive as base64 decoded straight into tar", () => {
    const s = codeSection({ mode: "embedded", archive, sha256 }, "/work space");
    expect(s.text).toBe(
      `base64 -d <<'FLOW_EOF' | tar -xzmf - -C '/work space'\n${archive.toString("base64")}\nFLOW_EOF\n`,
    );
    checked(s.text);
  });

  it("waits for the upload, checks the compiled sha256 and unpacks it", () => {
    const s = codeSection({ mode: "upload", archive, sha256 }, "/workspace");
    expect(s.text).toContain(`FLOW_CODE=${rooted(UPLOAD_PATH)}\n`);
    expect(s.text).toContain(`echo "${sha256}  $FLOW_CODE" | sha256sum -c --quiet -`);
    expect(s.text).toContain("-le 360 ]");
    expect(s.text).toContain('tar -xzmf - -C /workspace <"$FLOW_CODE"\n');
    expect(s.text).not.toContain(archive.toString("base64"));
    checked(s.text);
  });
});

describe("the run-time limit", () => {
  it("is the smaller of max_run_time_hours and deadline_hours, in whole seconds, at least 1", () => {
    expect(runTimeLimitSeconds({ name: "t" })).toBeUndefined();
    expect(runTimeLimitSeconds({ name: "t", max_run_time_hours: 1.5 })).toBe(5400);
    expect(runTimeLimitSeconds({ name: "t", max_run_time_hours: 10, deadline_hours: 2 })).toBe(7200);
    expect(runTimeLimitSeconds({ name: "t", deadline_hours: 0.0001 })).toBe(1);
  });

  it("is a SLURM job's --time when it has one", () => {
    const task: TaskConfig = { name: "t", max_run_time_hours: 1, slurm: { time_limit_minutes: 90 } };
    expect(runTimeLimitSeconds(task)).toBe(5400);
    expect(runTimeLimitSeconds({ name: "t", slurm: {} })).toBeUndefined();
  });

  it("is kept by timeout, or by a watchdog for a SLURM --signal=B:", () => {
    const task: TaskConfig = { name: "t", max_run_time_hours: 2 };
    expect(timeoutPrefix(task)).toBe('"$FLOW_TIMEOUT" -k 60 7200 ');
    expect(limitSection(task)).toBeUndefined();
    expect(afterCommandLines(task).join("\n")).toContain('"$FLOW_SHUTDOWN" -h now');
    const batch: TaskConfig = {
      name: "t",
      slurm: { time_limit_minutes: 60, signal: { name: "USR1", seconds_before: 120, batch_only: true } },
    };
    expect(limitByWatchdog(batch)).toBe(true);
    expect(timeoutPrefix(batch)).toBe("");
    expect(afterCommandLines(batch)).toEqual([]);
    expect(watchdogLine(batch)).toContain('("$FLOW_SLEEP" 3600; kill -0 $$ || exit 0;');
    checked(limitSection(batch)!.text);
    expect(watchdogLine(task)).toBeUndefined();
  });
});

describe("compressedScript", () => {
  it("carries the script gzip'd and base64'd, checks its sha256 and execs it", () => {
    const inner = "#!/bin/bash\necho 'hello — 世界'\n";
    const text = compressedScript(inner);
    expect(text).toBe(compressedScript(inner));
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
    const lines = text.split("\n");
    expect(lines[0]).toBe("#!/bin/bash");
    expect(gunzipSync(Buffer.from(lines[7]!, "base64")).toString("utf8")).toBe(inner);
    // the header's trap, with the programs called by name (the bootstrap exports nothing)
    expect(lines[4]).toBe(
      `trap 'echo "$?" >"$FLOW_LOG_DIR"/exit-status;date -u +%FT%TZ >"$FLOW_LOG_DIR"/end-time' EXIT`,
    );
    expect(compressedScript(inner, { autoTerminate: true }).split("\n")[4]).toContain(
      ";shutdown -h now' EXIT",
    );
    expect(text).toContain(
      `echo "${createHash("sha256").update(inner).digest("hex")}  $FLOW_S" | sha256sum -c --quiet -`,
    );
    expect(text.endsWith('exec bash "$FLOW_S"\n')).toBe(true);
    bashSyntaxCheck(text);
    shellcheck(text);
  });
});
