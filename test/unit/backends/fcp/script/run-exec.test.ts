/**
 * Runs whole startup scripts under bash, with stub `docker`, `sleep`, `apt-get`, `systemctl` and
 * `nvidia-ctk` first on PATH
 * (the real /usr/local/bin is left off PATH), and checks what the task actually received.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildStartupScript } from "../../../../../src/backends/fcp/script/assemble.ts";
import type { TaskConfig } from "../../../../../src/ir/task-config.ts";
import { bashSyntaxCheck, runScript, type ScriptRun, shellcheck } from "../../../../helpers/shell.ts";

const DOCKER_STUB = `#!/bin/bash
printf '%s\\0' "$@" >>"$STUB_DIR/docker-calls"
printf '\\036' >>"$STUB_DIR/docker-calls"
case "$1" in
pull)
  n=$(($(cat "$STUB_DIR/pulls" 2>/dev/null || echo 0) + 1))
  echo "$n" >"$STUB_DIR/pulls"
  [ "$n" -gt "\${STUB_PULL_FAILS:-0}" ] || { echo "stub: pull failed" >&2; exit 1; }
  ;;
run)
  prev=
  for a in "$@"; do
    if [ "$prev" = -e ]; then printf '%s=%s\\0' "$a" "\${!a-UNSET}" >>"$STUB_DIR/docker-env"; fi
    prev=$a
  done
  exit "\${STUB_RUN_EXIT:-0}"
  ;;
esac
`;

const SLEEP_STUB = `#!/bin/bash
echo "$*" >>"$STUB_DIR/sleep-calls"
`;

/** apt-get: records its arguments and environment; installing docker.io puts the docker stub on PATH. */
const APT_STUB = `#!/bin/bash
echo "$* VERSION=\${VERSION-unset} DEBIAN_FRONTEND=\${DEBIAN_FRONTEND-unset}" >>"$STUB_DIR/apt-calls"
case " $* " in *" docker.io "*) cp "$STUB_DIR/docker-stub" "$(dirname "$0")/docker";; esac
`;

/** Records its arguments (systemctl, nvidia-ctk). */
const RECORD_STUB = `#!/bin/bash
echo "\${0##*/} $*" >>"$STUB_DIR/calls"
`;

interface Sandbox {
  readonly root: string;
  readonly bin: string;
  readonly logs: string;
  readonly stub: string;
  /** A working directory that does not exist yet (the script must create it). */
  readonly work: string;
  readonly env: Record<string, string>;
}

const sandboxes: string[] = [];
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function executable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

function sandbox(options: { docker?: boolean } = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), "flow-run-"));
  sandboxes.push(root);
  const bin = join(root, "bin");
  const stub = join(root, "stub");
  mkdirSync(bin);
  mkdirSync(stub);
  writeFileSync(join(stub, "docker-stub"), DOCKER_STUB, { mode: 0o755 });
  if (options.docker !== false) executable(join(bin, "docker"), DOCKER_STUB);
  executable(join(bin, "sleep"), SLEEP_STUB);
  executable(join(bin, "apt-get"), APT_STUB);
  executable(join(bin, "systemctl"), RECORD_STUB);
  executable(join(bin, "nvidia-ctk"), RECORD_STUB);
  const logs = join(root, "logs dir");
  // Without docker, the system's own directories are replaced by links to every program in them
  // but docker, so a docker installed on the test machine cannot be found.
  let system = "/usr/bin:/bin";
  if (options.docker === false) {
    system = join(root, "system");
    mkdirSync(system);
    for (const dir of ["/bin", "/usr/bin"]) {
      for (const name of readdirSync(dir)) {
        if (name !== "docker" && !existsSync(join(system, name)))
          symlinkSync(join(dir, name), join(system, name));
      }
    }
  }
  return {
    root,
    bin,
    logs,
    stub,
    work: join(root, "work dir", "nested"),
    env: { PATH: `${bin}:${system}`, FLOW_LOG_DIR: logs, STUB_DIR: stub, LC_ALL: "C.UTF-8" },
  };
}

/** Builds, lints and runs the startup script of `task` in `box`. */
function run(
  box: Sandbox,
  task: TaskConfig,
  extraEnv: Record<string, string> = {},
): ScriptRun & { text: string } {
  const { text } = buildStartupScript(task);
  if (text === undefined) throw new Error("script over the limit");
  bashSyntaxCheck(text);
  shellcheck(text);
  return { ...runScript(text, { ...box.env, ...extraEnv }), text };
}

function read(path: string): string {
  return readFileSync(path, "utf8");
}

/** Each docker invocation's argv. */
function dockerCalls(box: Sandbox): string[][] {
  const file = join(box.stub, "docker-calls");
  if (!existsSync(file)) return [];
  return read(file)
    .split("\x1e")
    .slice(0, -1)
    .map((call) => call.split("\0").slice(0, -1));
}

/** NAME=value pairs the stub docker saw for each `-e NAME`. */
function dockerEnv(box: Sandbox): Record<string, string> {
  const pairs = read(join(box.stub, "docker-env")).split("\0").slice(0, -1);
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
}

const NASTY = {
  INJECT: "x -e EVIL=1 --privileged $(touch /tmp/flow-pwned) `id`",
  QUOTES: `it's "quoted" \\ and\nnewline`,
  UNICODE: "héllo 😀 中文",
  EMPTY: "",
};

describe("startup script with an image (stub docker)", () => {
  const image = "registry.example.com/team/train:1.0";

  it("pulls the image and runs it with exactly the expected arguments", () => {
    const box = sandbox();
    const result = run(box, {
      name: "t",
      image,
      working_dir: box.work,
      command: ["python", "train.py", "--lr=0.1", "a b", "$(id)", "", "it's"],
      env: NASTY,
    });
    expect(result.status).toBe(0);
    expect(dockerCalls(box)).toEqual([
      ["pull", image],
      [
        "run",
        "--rm",
        "--gpus",
        "all",
        "--network",
        "host",
        "-w",
        box.work,
        "-v",
        `${box.work}:${box.work}`,
        "-e",
        "EMPTY",
        "-e",
        "INJECT",
        "-e",
        "QUOTES",
        "-e",
        "UNICODE",
        image,
        "python",
        "train.py",
        "--lr=0.1",
        "a b",
        "$(id)",
        "",
        "it's",
      ],
    ]);
    expect(dockerEnv(box)).toEqual(NASTY);
    expect(existsSync(box.work)).toBe(true);
    expect(existsSync("/tmp/flow-pwned")).toBe(false);
    expect(read(join(box.logs, "exit-status"))).toBe("0\n");
  });

  it("passes -e NAME with no value, whatever the value", () => {
    const box = sandbox();
    run(box, { name: "t", image, upload_code: false, command: ["true"], env: NASTY });
    const runArgs = dockerCalls(box)[1]!;
    const eValues = runArgs.filter((_, i) => runArgs[i - 1] === "-e");
    expect(eValues).toEqual(["EMPTY", "INJECT", "QUOTES", "UNICODE"]);
    expect(runArgs).not.toContain("--privileged");
    expect(runArgs).not.toContain("-w");
  });

  it("propagates the container's exit status", () => {
    const box = sandbox();
    const result = run(
      box,
      { name: "t", image, working_dir: box.work, command: ["false"] },
      { STUB_RUN_EXIT: "3" },
    );
    expect(result.status).toBe(3);
    expect(read(join(box.logs, "exit-status"))).toBe("3\n");
    expect(result.stdout.toString()).toContain("flow: command exited with status 3\n");
  });

  it("retries a failing pull with backoff", () => {
    const box = sandbox();
    const result = run(
      box,
      { name: "t", image, upload_code: false, command: ["x"] },
      { STUB_PULL_FAILS: "2" },
    );
    expect(result.status).toBe(0);
    expect(dockerCalls(box).map((c) => c[0])).toEqual(["pull", "pull", "pull", "run"]);
    expect(read(join(box.stub, "sleep-calls"))).toBe("10\n20\n");
  });

  it("fails without running when every pull fails", () => {
    const box = sandbox();
    const result = run(
      box,
      { name: "t", image, upload_code: false, command: ["x"] },
      { STUB_PULL_FAILS: "99" },
    );
    expect(result.status).toBe(1);
    expect(dockerCalls(box).map((c) => c[0])).toEqual(["pull", "pull", "pull", "pull", "pull"]);
    expect(read(join(box.logs, "exit-status"))).toBe("1\n");
  });

  it("installs docker when it is missing, untouched by the task's env", () => {
    const box = sandbox({ docker: false });
    const result = run(box, {
      name: "t",
      image,
      upload_code: false,
      command: ["x"],
      env: { VERSION: "1.2" },
    });
    expect(result.status, result.stdout.toString()).toBe(0);
    expect(read(join(box.stub, "apt-calls"))).toBe(
      [
        "-qq -o DPkg::Lock::Timeout=600 update VERSION=unset DEBIAN_FRONTEND=noninteractive",
        "-qq -o DPkg::Lock::Timeout=600 install -y docker.io VERSION=unset DEBIAN_FRONTEND=noninteractive",
        "",
      ].join("\n"),
    );
    // unattended-upgrades and apt-daily are stopped before apt runs; the toolkit was there, so
    // nothing else ran
    expect(read(join(box.stub, "calls"))).toBe(
      "systemctl stop unattended-upgrades apt-daily.service apt-daily-upgrade.service\n".repeat(2),
    );
    expect(dockerCalls(box).map((c) => c[0])).toEqual(["pull", "run"]);
    expect(dockerEnv(box)).toEqual({ VERSION: "1.2" });
  });

  it("passes task variables named like the script's own variables unchanged", () => {
    const box = sandbox();
    const env = { i: "mine", rc: "also mine", FLOW_EOF: "x" };
    const result = run(
      box,
      { name: "t", image, upload_code: false, command: ["x"], env },
      { STUB_PULL_FAILS: "1" },
    );
    expect(result.status).toBe(0);
    expect(dockerEnv(box)).toEqual(env);
  });

  it("runs a command string with bash -c in the container", () => {
    const box = sandbox();
    run(box, { name: "t", image, upload_code: false, command: "echo $HOME; exit 4" });
    expect(dockerCalls(box)[1]!.slice(-4)).toEqual([image, "bash", "-c", "echo $HOME; exit 4"]);
  });

  it("mounts a script file into the container", () => {
    const box = sandbox();
    const script = "echo 'hi' $HOME\nFLOW_EOF\n";
    run(box, { name: "t", image, upload_code: false, script });
    expect(dockerCalls(box)[1]!.slice(-5)).toEqual([
      "-v",
      `${box.logs}/task-script:/flow-task-script:ro`,
      image,
      "bash",
      "/flow-task-script",
    ]);
    expect(read(join(box.logs, "task-script"))).toBe(script);
  });

  it("runs a script with a #! line directly in the container", () => {
    const box = sandbox();
    run(box, { name: "t", image, upload_code: false, script: "#!/usr/bin/env python3\nprint(1)\n" });
    expect(dockerCalls(box)[1]!.slice(-2)).toEqual([image, "/flow-task-script"]);
  });

  it("keeps the container alive without a command", () => {
    const box = sandbox();
    run(box, { name: "t", image, upload_code: false });
    expect(dockerCalls(box)[1]!.slice(-4)).toEqual(["--entrypoint", "sleep", image, "infinity"]);
  });
});

describe("startup script on the host", () => {
  it("runs an argv command exactly, in the working dir, with the env", () => {
    const box = sandbox();
    const args = ["a b", "$(id)", "", "it's", "--x=1", "😀", "line\nbreak"];
    const result = run(box, {
      name: "t",
      working_dir: box.work,
      env: NASTY,
      command: [
        "bash",
        "-c",
        'pwd >pwd.txt; printf "%s\\0" "$@" >argv.bin; printf %s "$INJECT" >env.txt',
        "_",
        ...args,
      ],
    });
    expect(result.status).toBe(0);
    expect(read(join(box.work, "pwd.txt"))).toBe(`${box.work}\n`);
    expect(read(join(box.work, "argv.bin"))).toBe(args.map((a) => `${a}\0`).join(""));
    expect(read(join(box.work, "env.txt"))).toBe(NASTY.INJECT);
  });

  it("gives the command a task variable named rc unchanged", () => {
    const box = sandbox();
    const command = ["bash", "-c", 'printf %s "$rc" >"$STUB_DIR/rc"'];
    expect(run(box, { name: "t", upload_code: false, env: { rc: "mine" }, command }).status).toBe(0);
    expect(read(join(box.stub, "rc"))).toBe("mine");
  });

  it("runs a program whose name looks like an assignment", () => {
    const box = sandbox();
    executable(join(box.bin, "A=b"), '#!/bin/sh\necho "$1" >"$STUB_DIR/ran"\n');
    expect(run(box, { name: "t", upload_code: false, command: ["A=b", "x"] }).status).toBe(0);
    expect(read(join(box.stub, "ran"))).toBe("x\n");
  });

  it("runs a command string with bash and returns its status", () => {
    const box = sandbox();
    const result = run(box, { name: "t", working_dir: box.work, command: 'echo "$PWD" >where; exit 7' });
    expect(result.status).toBe(7);
    expect(read(join(box.work, "where"))).toBe(`${box.work}\n`);
    expect(read(join(box.logs, "exit-status"))).toBe("7\n");
  });

  it("writes a script byte for byte and runs it with bash when it has no #! line", () => {
    const box = sandbox();
    const script = `echo "\${BASH_VERSION:+bash}" >ran-by\nFLOW_EOF\necho '$HOME' "it's" \`true\`\nexit 5`;
    const result = run(box, { name: "t", working_dir: box.work, script });
    expect(read(join(box.logs, "task-script"))).toBe(script);
    expect(read(join(box.work, "ran-by"))).toBe("bash\n");
    expect(result.stdout.toString()).toContain("FLOW_EOF: command not found");
    expect(result.status).toBe(5);
  });

  it("runs a script with its #! interpreter", () => {
    const box = sandbox();
    const script = `#!/bin/sh\necho "\${BASH_VERSION:-sh}" >ran-by\n`;
    const result = run(box, { name: "t", working_dir: box.work, script });
    expect(result.status).toBe(0);
    expect(read(join(box.work, "ran-by"))).toBe("sh\n");
  });

  it("writes an empty script as an empty file", () => {
    const box = sandbox();
    expect(run(box, { name: "t", upload_code: false, script: "" }).status).toBe(0);
    expect(read(join(box.logs, "task-script"))).toBe("");
  });

  it("sleeps forever without a command", () => {
    const box = sandbox();
    expect(run(box, { name: "t", upload_code: false }).status).toBe(0);
    expect(read(join(box.stub, "sleep-calls"))).toBe("infinity\n");
  });

  it("logs output to the console and task.log but never the env values", () => {
    const box = sandbox();
    const secret = "sk-live-0123456789abcdef";
    const result = run(box, {
      name: "t",
      upload_code: false,
      env: { API_TOKEN: secret },
      command: ["echo", "hello"],
    });
    const stdout = result.stdout.toString();
    expect(stdout).toBe("hello\nflow: command exited with status 0\n");
    expect(result.stderr.toString()).toBe("");
    expect(result.text).not.toMatch(/set -[a-z]*x/);
    expect(read(join(box.logs, "task.log"))).toBe(stdout);
    expect(stdout).not.toContain(secret);
  });

  it("records the status of a setup step that fails", () => {
    const box = sandbox();
    writeFileSync(join(box.root, "file"), "");
    const result = run(box, { name: "t", working_dir: join(box.root, "file", "sub"), command: ["true"] });
    expect(result.status).not.toBe(0);
    expect(read(join(box.logs, "exit-status"))).toBe(`${result.status}\n`);
  });
});
