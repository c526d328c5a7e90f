import { describe, expect, test } from "vitest";
import { lowerYaml } from "../../../../src/frontends/yaml/lower.ts";
import { firstBadCharacter } from "../../../../src/ir/checks/text-values.ts";
import { createSourceFile } from "../../../../src/source/source-file.ts";
import { codesAt } from "../../../helpers/diagnostics.ts";

function check(text: string) {
  const file = createSourceFile("job.yaml", text);
  const result = lowerYaml(file);
  return { result, codes: codesAt(file, result.diagnostics) };
}

describe("TaskConfig rules", () => {
  test("exactly one instance requirement", () => {
    expect(check("name: t\ncommand: [x]\n").codes).toEqual(["IR006@1:1"]);
    expect(check("name: t\ninstance_type: a100\nmin_gpu_memory_gb: 80\n").codes).toEqual(["IR006@3:1"]);
  });

  test("at most one command form, the extra ones reported", () => {
    const { codes, result } = check("name: t\ninstance_type: a100\ncommand: [a]\nshell: b\nscript: c\n");
    expect(codes).toEqual(["IR007@4:1", "IR007@5:1", "IR017@5:1"]);
    expect(result.diagnostics[0]?.notes[0]?.message).toBe("`command` is given here");
  });

  test("no command form is fine (the task sleeps)", () => {
    expect(check("name: t\ninstance_type: a100\n").codes).toEqual([]);
  });

  test("name pattern, with a sanitised suggestion", () => {
    const { codes, result } = check("name: my job!\ninstance_type: a100\n");
    expect(codes).toEqual(["IR008@1:7"]);
    expect(result.diagnostics[0]?.suggestions[0]?.replacement).toBe("my-job");
  });

  test("prices must be positive; run time bounded by 168 h", () => {
    expect(check("name: t\ninstance_type: a100\nmax_price_per_hour: 0\n").codes).toEqual(["IR004@3:21"]);
    expect(check("name: t\ninstance_type: a100\nmax_run_time_hours: 169\n").codes).toEqual(["IR004@3:21"]);
    expect(check("name: t\ninstance_type: a100\nmax_run_time_hours: 0\n").codes).toEqual(["IR004@3:21"]);
    expect(check("name: t\ninstance_type: a100\nmax_run_time_hours: 168\n").codes).toEqual([]);
    expect(check("name: t\ninstance_type: a100\nnum_instances: 0\n").codes).toEqual(["IR004@3:16"]);
  });

  test("min run time cannot exceed max", () => {
    expect(
      check("name: t\ninstance_type: a100\nmin_run_time_hours: 5\nmax_run_time_hours: 2\n").codes,
    ).toEqual(["IR016@3:21"]);
  });

  test("mount paths absolute and unique across volumes and data mounts", () => {
    const { codes } = check(
      "name: t\ninstance_type: a100\nvolumes:\n  - {size_gb: 1, mount_path: data}\n  - {size_gb: 1, mount_path: /d}\ndata_mounts:\n  - {source: s3://b, target: /d/}\n",
    );
    expect(codes).toEqual(["IR010@4:30", "IR011@7:30"]);
    // one place however it is written
    for (const alias of ["/d/.", "/x/../d", "//d//"]) {
      const again = check(
        `name: t\ninstance_type: a100\nvolumes:\n  - {size_gb: 1, mount_path: /d}\n  - {size_gb: 1, mount_path: "${alias}"}\n`,
      );
      expect(again.codes, alias).toEqual(["IR011@5:30"]);
    }
  });

  test("existing volumes forbid size and iops; a volume needs some source", () => {
    const { codes } = check(
      "name: t\ninstance_type: a100\nvolumes:\n  - {volume_id: vol_x, size_gb: 1, iops: 5}\n  - {mount_path: /x}\n",
    );
    expect(codes).toEqual(["IR012@4:24", "IR012@4:36", "IR002@5:5"]);
  });

  test("the same volume twice, or names alike in the 36 characters a disk is found by", () => {
    const long = "a".repeat(36);
    const twice = check(
      "name: t\ninstance_type: a100\nvolumes:\n  - {name: data, size_gb: 1}\n  - {name: data, mount_path: /d2}\n" +
        "  - {volume_id: vol_x, name: x}\n  - {volume_id: vol_x, name: z}\n",
    );
    expect(twice.codes).toEqual(["IR019@5:12", "IR019@7:17"]);
    expect(twice.result.diagnostics[0]?.message).toBe("volume `data` is listed twice");
    expect(twice.result.diagnostics[0]?.notes[0]?.message).toBe("first listed here");
    const alike = check(
      `name: t\ninstance_type: a100\nvolumes:\n  - {name: ${long}-one, size_gb: 1}\n  - {name: ${long}-two, size_gb: 1}\n`,
    );
    expect(alike.codes).toEqual(["IR020@5:12"]);
    expect(alike.result.diagnostics[0]?.message).toContain(`/dev/disk/by-id/virtio-${long}`);
    // 35 characters in common is fine; two file shares are found by their whole names
    expect(
      check(
        `name: t\ninstance_type: a100\nvolumes:\n  - {name: ${long.slice(1)}x, size_gb: 1}\n  - {name: ${long.slice(1)}z, size_gb: 1}\n`,
      ).codes,
    ).toEqual([]);
    expect(
      check(
        `name: t\ninstance_type: a100\nvolumes:\n  - {name: ${long}-one, size_gb: 1, interface: file}\n  - {name: ${long}-two, size_gb: 1, interface: file}\n`,
      ).codes,
    ).toEqual([]);
  });

  test("mount paths that would break docker -v or hide what the instance needs", () => {
    const at = (path: string, field = "volumes:\n  - {name: v, size_gb: 1, mount_path: ") =>
      check(`name: t\ninstance_type: a100\n${field}${JSON.stringify(path)}}\n`).result.diagnostics.map(
        (d) => d.code,
      );
    for (const bad of [
      "/data:ro",
      "/a,b",
      "/",
      "/etc",
      "/usr/local/data",
      "/bin",
      "/lib64",
      "/boot",
      "/dev/shm",
      "/proc",
      "/sys",
      "/run/x",
      "/var/run",
      "/var/lock/x",
      "/var/lib/flow",
      "/var/log/flow/x",
      "/home",
      "/home/ubuntu",
      "/root",
      "/mnt/local",
      "/mnt/local/cache",
      "/var",
      "/mnt",
      "/data/../etc",
      "//etc/",
    ]) {
      expect(at(bad), bad).toEqual(["IR021"]);
    }
    for (const good of ["/data", "/volumes/v", "/mnt/shared", "/var/lib/docker", "/opt/data", "/librarian"]) {
      expect(at(good), good).toEqual([]);
    }
    const home = check(
      "name: t\ninstance_type: a100\nvolumes:\n  - {name: v, size_gb: 1, mount_path: /home}\n",
    );
    expect(home.codes).toEqual(["IR021@4:39"]);
    expect(home.result.diagnostics[0]?.message).toContain("authorized_keys");
    expect(home.result.diagnostics[0]?.suggestions[0]?.replacement).toBe("/volumes/v");
    const target = "data_mounts:\n  - {source: s3://b, target: ";
    expect(at("/etc/x", target)).toEqual(["IR021"]);
    expect(at("/data", target)).toEqual([]);
  });

  test("a working_dir that would unpack code into the system, or split docker -v", () => {
    const at = (dir: string, extra = "") =>
      check(
        `name: t\ninstance_type: a100\n${extra}working_dir: ${JSON.stringify(dir)}\n`,
      ).result.diagnostics.map((d) => d.code);
    for (const bad of [
      "/",
      "/etc",
      "/etc/app",
      "/usr",
      "/usr/bin",
      "/usr/lib/x",
      "/var",
      "/var/log/flow",
      "/proc/x",
    ]) {
      expect(at(bad), bad).toEqual(["IR021"]);
    }
    for (const good of [
      "/workspace",
      "/usr/src/app",
      "/home/ubuntu/project",
      "/root/project",
      "/opt/app",
      "/a:b",
    ]) {
      expect(at(good), good).toEqual([]);
    }
    expect(at("/a:b", "image: ubuntu\n")).toEqual(["IR021"]);
  });

  test("env names and secrets", () => {
    const { codes, result } = check(
      `name: t\ninstance_type: a100\nenv:\n  1X: a\n  HF_TOKEN: abc\n  REF_TOKEN: $\{FROM_ELSEWHERE}\n  PLAIN: hf_abcdefghijklmnop\n`,
    );
    expect(codes).toEqual(["IR013@4:3", "IR014@5:13", "IR014@7:10"]);
    expect(result.diagnostics[1]?.severity).toBe("warning");
  });

  test("instance-type spelling errors suggest the valid form", () => {
    const { codes, result } = check("name: t\ninstance_type: a100x8\n");
    expect(codes).toEqual(["IT001@2:16"]);
    expect(result.diagnostics[0]?.suggestions.map((s) => s.replacement)).toContain("8xa100");
  });
});

describe("values that cannot reach a shell", () => {
  test("NUL and lone surrogates are rejected wherever they are", () => {
    expect(check('name: t\ninstance_type: a100\nenv:\n  A: "x\\0y"\n').codes).toEqual(["IR005@4:6"]);
    expect(check('name: t\ninstance_type: a100\ncommand: [echo, "\\ud800"]\n').codes).toEqual(["IR005@3:17"]);
    expect(check('name: t\ninstance_type: a100\ncommand: [echo, "😀"]\n').codes).toEqual([]);
  });

  test("an empty program name, an image that would be an option, FLOW_ names", () => {
    expect(check('name: t\ninstance_type: a100\ncommand: ["", x]\n').codes).toEqual(["IR005@3:11"]);
    expect(check("name: t\ninstance_type: a100\nimage: --privileged\n").codes).toEqual(["IR005@3:8"]);
    expect(check("name: t\ninstance_type: a100\nimage: my image\n").codes).toEqual(["IR005@3:8"]);
    expect(check("name: t\ninstance_type: a100\nimage: ghcr.io/org/img:1.0@sha256:abc\n").codes).toEqual([]);
    expect(check("name: t\ninstance_type: a100\nenv:\n  FLOW_LOG_DIR: /tmp\n").codes).toEqual(["IR013@4:3"]);
  });

  test("names bash owns: read-only ones (and IFS) are errors, ones bash rewrites are warned", () => {
    for (const name of ["UID", "EUID", "PPID", "SHELLOPTS", "BASHOPTS", "BASH_VERSINFO", "IFS"]) {
      expect(check(`name: t\ninstance_type: a100\nenv:\n  ${name}: "1"\n`).codes).toEqual(["IR013@4:3"]);
    }
    for (const name of ["PWD", "SECONDS", "RANDOM", "SHLVL", "_"]) {
      expect(check(`name: t\ninstance_type: a100\nenv:\n  ${name}: "1"\n`).codes).toEqual(["IR018@4:3"]);
    }
    expect(check('name: t\ninstance_type: a100\nenv:\n  PATH: "/opt/bin"\n  USER: x\n').codes).toEqual([]);
  });
});

describe("sanitizeTaskName", () => {
  test("a cut at 64 never leaves a trailing dash; nothing left → the fallback", async () => {
    const { sanitizeTaskName, TASK_NAME_PATTERN } = await import("../../../../src/ir/task-config.ts");
    const name = sanitizeTaskName(`${"a".repeat(63)} b`, "task");
    expect(name).toBe("a".repeat(63));
    expect(TASK_NAME_PATTERN.test(name)).toBe(true);
    expect(sanitizeTaskName("日本語", "task")).toBe("task");
    expect(sanitizeTaskName("--my job!--", "task")).toBe("my-job");
  });
});

describe("firstBadCharacter: the one test for a NUL or a lone surrogate", () => {
  test("the index of the first, or undefined", () => {
    expect(firstBadCharacter("plain text")).toBeUndefined();
    expect(firstBadCharacter("a pair \ud83d\ude00 is fine")).toBeUndefined();
    expect(firstBadCharacter("ab\0c")).toBe(2);
    expect(firstBadCharacter("x\ud800y")).toBe(1);
    expect(firstBadCharacter("x\ude00")).toBe(1); // a low half without its high half
    expect(firstBadCharacter("\ud83d\ude00\ud83d")).toBe(2); // after a whole pair
    expect(firstBadCharacter("\ud800 \0")).toBe(0);
    expect(firstBadCharacter("\0 \ud800")).toBe(0);
    expect(firstBadCharacter("ok \ud83d\ude00 \0")).toBe(6);
  });
});
