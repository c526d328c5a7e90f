import { describe, expect, it } from "vitest";
import { joinSections, section } from "../../../../../src/backends/fcp/script/section.ts";
import { envNames, envSection } from "../../../../../src/backends/fcp/script/sections/env.ts";
import { headerSection } from "../../../../../src/backends/fcp/script/sections/header.ts";
import {
  runSection,
  taskCommand,
  volumeMountPaths,
  workingDir,
} from "../../../../../src/backends/fcp/script/sections/run.ts";
import { heredocDelimiter, setupSection } from "../../../../../src/backends/fcp/script/sections/setup.ts";
import type { TaskConfig } from "../../../../../src/ir/task-config.ts";
import { bashSyntaxCheck, shellcheck } from "../../../../helpers/shell.ts";

/**
 * The header plus the given section, checked by bash -n and shellcheck as a whole script. The
 * header is a task's with a command (an empty task's also resolves `sleep`, which only its run
 * section uses).
 */
function checkedWith(text: string): string {
  const script = headerSection({ command: ["true"] }).text + text;
  bashSyntaxCheck(script);
  shellcheck(script);
  return script;
}

describe("section", () => {
  it("ends every line, including multi-line ones, in exactly one newline", () => {
    const s = section("x", ["a", "b\nc", ""]);
    expect(s).toEqual({ name: "x", text: "a\nb\nc\n\n" });
    expect(joinSections([s, section("y", ["d"])])).toBe("a\nb\nc\n\nd\n");
  });
});

describe("headerSection", () => {
  const text = headerSection({ command: ["true"] }).text;

  it("starts with the exact #!/bin/bash line and strict mode", () => {
    expect(text.startsWith("#!/bin/bash\nset -euo pipefail\n")).toBe(true);
  });

  it("is small, ASCII and never traces commands", () => {
    expect(text.length).toBeLessThan(300);
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
    expect(text).not.toMatch(/set -[a-z]*x|xtrace/);
  });

  it("logs to FLOW_LOG_DIR, defaulting to /var/log/flow", () => {
    expect(text).toContain(`FLOW_LOG_DIR=\${FLOW_LOG_DIR:-/var/log/flow}`);
    expect(text).toContain('tee -a "$FLOW_LOG_DIR"/task.log');
    checkedWith("");
  });
});

describe("envSection", () => {
  it("is absent without env", () => {
    expect(envSection({ name: "t" })).toBeUndefined();
    expect(envSection({ name: "t", env: {} })).toBeUndefined();
  });

  it("exports each variable, sorted by code unit, with quoted values", () => {
    const task: TaskConfig = { name: "t", env: { b: "x", B: "it's", A_1: "", _z: "$(id)", a: "1.10" } };
    expect(envNames(task)).toEqual(["A_1", "B", "_z", "a", "b"]);
    const s = envSection(task)!;
    expect(s.name).toBe("env");
    expect(s.text).toBe("export A_1=''\nexport B='it'\\''s'\nexport _z='$(id)'\nexport a=1.10\nexport b=x\n");
    checkedWith(s.text);
  });

  it("refuses a name bash cannot export rather than dropping it", () => {
    expect(() => envSection({ name: "t", env: { "A-B": "1" } })).toThrow(/A-B/);
  });
});

describe("run helpers", () => {
  it("defaults the working dir to /workspace unless code upload is off", () => {
    expect(workingDir({ name: "t" })).toBe("/workspace");
    expect(workingDir({ name: "t", upload_code: true })).toBe("/workspace");
    expect(workingDir({ name: "t", upload_code: false })).toBeUndefined();
    expect(workingDir({ name: "t", upload_code: false, working_dir: "/w" })).toBe("/w");
  });

  it("takes volume paths from mount_path, else /volumes/<name>", () => {
    expect(
      volumeMountPaths({
        name: "t",
        volumes: [{ name: "a", mount_path: "/data" }, { name: "b" }, { volume_id: "vol_1" }],
      }),
    ).toEqual(["/data", "/volumes/b"]);
  });

  it("reads the command form", () => {
    expect(taskCommand({ name: "t", command: ["a", "b"] })).toEqual({ kind: "argv", argv: ["a", "b"] });
    expect(taskCommand({ name: "t", command: "a b" })).toEqual({ kind: "shell", text: "a b" });
    expect(taskCommand({ name: "t", shell: "a b" })).toEqual({ kind: "shell", text: "a b" });
    expect(taskCommand({ name: "t", script: "" })).toEqual({ kind: "script", text: "" });
    expect(taskCommand({ name: "t" })).toEqual({ kind: "none" });
  });

  it("refuses a task with two command forms rather than dropping one", () => {
    expect(() => taskCommand({ name: "t", command: ["a"], script: "b" })).toThrow(/more than one/);
    expect(() => runSection({ name: "t", command: "a", shell: "b" })).toThrow(/more than one/);
  });
});

describe("setupSection", () => {
  it("is absent when there is nothing to prepare", () => {
    expect(setupSection({ name: "t", upload_code: false, command: ["a"] })).toBeUndefined();
  });

  it("creates the working directory", () => {
    expect(setupSection({ name: "t", command: ["a"] })).toEqual({
      name: "setup",
      text: "mkdir -p /workspace\n",
    });
    expect(setupSection({ name: "t", working_dir: "/my dir", command: ["a"] })!.text).toBe(
      "mkdir -p '/my dir'\n",
    );
  });

  it("picks a here-document delimiter absent from the text", () => {
    expect(heredocDelimiter("echo hi\n")).toBe("FLOW_EOF");
    expect(heredocDelimiter("FLOW_EOF\n")).toBe("FLOW_EOF_1");
    expect(heredocDelimiter("FLOW_EOF\nFLOW_EOF_1\nxFLOW_EOF_2\n")).toBe("FLOW_EOF_3");
  });

  it("writes a script through a quoted here-document", () => {
    const s = setupSection({ name: "t", upload_code: false, script: "echo $HOME\nFLOW_EOF\n" })!;
    expect(s.text).toBe(
      [
        `cat >"$FLOW_LOG_DIR/task-script" <<'FLOW_EOF_1'`,
        "echo $HOME",
        "FLOW_EOF",
        "FLOW_EOF_1",
        'chmod +x "$FLOW_LOG_DIR/task-script"',
        "",
      ].join("\n"),
    );
    checkedWith(s.text);
  });

  it("trims the here-document's newline from a script that has none", () => {
    const s = setupSection({ name: "t", upload_code: false, script: "#!/usr/bin/env python3\nprint(1)" })!;
    expect(s.text).toContain('\nprint(1)\nFLOW_EOF\ntruncate -s -1 "$FLOW_LOG_DIR/task-script"\n');
    expect(setupSection({ name: "t", upload_code: false, script: "" })!.text).not.toContain("truncate");
    checkedWith(s.text);
  });

  it("leaves docker and the image to the runtime section", () => {
    expect(setupSection({ name: "t", upload_code: false, image: "ubuntu" })).toBeUndefined();
  });
});

describe("runSection", () => {
  it("runs an argv command on the host in /workspace by default", () => {
    const s = runSection({ name: "t", command: ["python", "train.py", "--lr=0.1", "a b"] });
    expect(s.text).toBe(
      [
        "cd /workspace",
        "if python train.py --lr=0.1 'a b'; then rc=0; else rc=$?; fi",
        'echo "flow: command exited with status $rc"',
        'exit "$rc"',
        "",
      ].join("\n"),
    );
    checkedWith(s.text);
  });

  it("quotes a first argv word that bash would read as an assignment", () => {
    expect(runSection({ name: "t", upload_code: false, command: ["A=b", "c"] }).text).toContain(
      "if 'A=b' c; then",
    );
  });

  it("runs a string command or shell line with bash -c", () => {
    const a = runSection({ name: "t", upload_code: false, command: "echo $HOME && ls" });
    const b = runSection({ name: "t", upload_code: false, shell: "echo $HOME && ls" });
    expect(a.text).toContain("if \"$FLOW_BASH\" -c 'echo $HOME && ls'; then");
    expect(b.text).toBe(a.text);
    expect(a.text).not.toContain("cd ");
    checkedWith(a.text);
  });

  it("runs a script with bash, or with its #! interpreter", () => {
    const plain = runSection({ name: "t", working_dir: "/w", script: "echo hi\n" });
    expect(plain.text).toContain('if "$FLOW_BASH" "$FLOW_LOG_DIR/task-script"; then');
    const shebang = runSection({ name: "t", working_dir: "/w", script: "#!/usr/bin/env python3\nprint(1)" });
    expect(shebang.text).toContain('if "$FLOW_LOG_DIR/task-script"; then');
    checkedWith(plain.text);
    checkedWith(shebang.text);
  });

  it("sleeps forever without a command", () => {
    expect(runSection({ name: "t", upload_code: false }).text).toContain('if "$FLOW_SLEEP" infinity; then');
  });

  it("runs an image with GPUs, host network, env by name and mounts", () => {
    const s = runSection({
      name: "t",
      image: "nvcr.io/nvidia/pytorch:24.05-py3",
      command: ["torchrun", "train.py", "$(id)"],
      env: { B: "x; rm -rf /", A: "1" },
      volumes: [{ name: "data", mount_path: "/workspace" }, { name: "ckpt" }],
    });
    expect(s.text).toBe(
      [
        'if "$FLOW_DOCKER" run --rm --gpus all --network host -w /workspace -v /workspace:/workspace ' +
          `-v "\${FLOW_ROOT-}"/volumes/ckpt:/volumes/ckpt -e A -e B nvcr.io/nvidia/pytorch:24.05-py3 torchrun train.py '$(id)'; ` +
          "then rc=0; else rc=$?; fi",
        'echo "flow: command exited with status $rc"',
        'exit "$rc"',
        "",
      ].join("\n"),
    );
    checkedWith(s.text);
  });

  it("mounts a script into the container and runs it there", () => {
    const s = runSection({ name: "t", upload_code: false, image: "ubuntu", script: "echo hi\n" });
    expect(s.text).toContain(
      '"$FLOW_DOCKER" run --rm --gpus all --network host -v "$FLOW_LOG_DIR/task-script:/flow-task-script:ro" ubuntu bash /flow-task-script;',
    );
    checkedWith(s.text);
  });

  it("keeps an image without a command alive with sleep", () => {
    const s = runSection({ name: "t", upload_code: false, image: "ubuntu" });
    expect(s.text).toContain(
      '"$FLOW_DOCKER" run --rm --gpus all --network host --entrypoint sleep ubuntu infinity;',
    );
    checkedWith(s.text);
  });
});

describe("the shell check helpers", () => {
  it("reject what bash or shellcheck reject", () => {
    expect(() => bashSyntaxCheck("if then\n")).toThrow(/bash -n/);
    expect(() => shellcheck("#!/bin/bash\nrm $1\n")).toThrow(/SC2086/);
    expect(() => shellcheck("#!/bin/bash\necho ok\n")).not.toThrow();
  });
});
