/**
 * Whole startup scripts of SLURM tasks, run under bash as each node of a job would run them: one
 * run per node, each with its own log and working directory (no shared filesystem), a fake
 * /etc/hosts and hostname through FLOW_HOSTS_FILE/FLOW_HOSTNAME, and stub binaries first on PATH
 * where the real ones are absent (docker) or must be controlled (hostname -I). Every script is
 * checked by `bash -n` and shellcheck before it runs.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildStartupScript,
  type StartupScriptOptions,
  startupScriptSections,
} from "../../../../../../src/backends/fcp/script/assemble.ts";
import { slurmSection } from "../../../../../../src/backends/fcp/script/sections/slurm.ts";
import { stableJobId } from "../../../../../../src/backends/fcp/script/slurm/job.ts";
import type { TaskConfig } from "../../../../../../src/ir/task-config.ts";
import { bashSyntaxCheck, runScript, type ScriptRun, shellcheck } from "../../../../../helpers/shell.ts";

/** A hosts file as a platform might write it, with the lines that must be ignored. */
const HOSTS = `127.0.0.1 localhost
127.0.1.1 gpu-b
::1 ip6-localhost ip6-loopback
ff02::1 ip6-allnodes
# the cluster
192.0.2.12 gpu-b.cluster gpu-b
192.0.2.11 gpu-a.cluster gpu-a # head
192.0.2.13   gpu-c.cluster\tgpu-c
`;
const NODELIST = "gpu-a.cluster,gpu-b.cluster,gpu-c.cluster";

const DOCKER_STUB = `#!/bin/bash
printf '%s\\0' "$@" >>"$STUB_DIR/docker-calls"
printf '\\036' >>"$STUB_DIR/docker-calls"
if [ "$1" = run ]; then
  prev=
  for a in "$@"; do
    if [ "$prev" = -e ]; then printf '%s=%s\\0' "$a" "\${!a-UNSET}" >>"$STUB_DIR/docker-env"; fi
    prev=$a
  done
  echo "container says hi"
  echo "container warns" >&2
fi
`;

const roots: string[] = [];
afterEach(() => {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Cluster {
  readonly root: string;
  readonly bin: string;
  readonly stub: string;
  readonly hosts: string;
}

function cluster(hosts = HOSTS): Cluster {
  const root = mkdtempSync(join(tmpdir(), "flow-slurm-"));
  roots.push(root);
  const bin = join(root, "bin");
  const stub = join(root, "stub");
  mkdirSync(bin);
  mkdirSync(stub);
  writeFileSync(join(bin, "docker"), DOCKER_STUB);
  chmodSync(join(bin, "docker"), 0o755);
  // the NVIDIA container toolkit is present, as on the platform's images
  writeFileSync(join(bin, "nvidia-ctk"), "#!/bin/sh\n");
  chmodSync(join(bin, "nvidia-ctk"), 0o755);
  const file = join(root, "hosts");
  writeFileSync(file, hosts);
  return { root, bin, stub, hosts: file };
}

/** A node of the cluster: its own log and working directories. */
interface Node {
  readonly logs: string;
  readonly work: string;
  readonly env: Record<string, string>;
}

function node(c: Cluster, hostname: string): Node {
  const base = join(c.root, `node-${hostname}`);
  mkdirSync(join(base, "tmp"), { recursive: true });
  const logs = join(base, "logs");
  const work = join(base, "work");
  return {
    logs,
    work,
    env: {
      PATH: `${c.bin}:/usr/bin:/bin`,
      FLOW_LOG_DIR: logs,
      FLOW_HOSTS_FILE: c.hosts,
      FLOW_HOSTNAME: hostname,
      STUB_DIR: c.stub,
      TMPDIR: join(base, "tmp"),
      LC_ALL: "C.UTF-8",
    },
  };
}

/** Builds the script (checked by bash -n and shellcheck), with the node's working dir. */
function script(task: TaskConfig, options: StartupScriptOptions = {}): string {
  const { text } = buildStartupScript(task, options);
  if (text === undefined) throw new Error("script over the limit");
  bashSyntaxCheck(text);
  shellcheck(text);
  return text;
}

function runOn(n: Node, text: string, extra: Record<string, string> = {}): ScriptRun & { log: string } {
  const result = runScript(text.replaceAll("@WORK@", n.work), { ...n.env, ...extra });
  const log = join(n.logs, "task.log");
  return { ...result, log: existsSync(log) ? readFileSync(log, "utf8") : "" };
}

/** A SLURM task whose working dir is filled in per node (`@WORK@`). */
function slurmTask(body: string, fields: Partial<TaskConfig> = {}): TaskConfig {
  return {
    name: "train",
    working_dir: "@WORK@",
    script: `#!/bin/bash\n${body}\n`,
    slurm: {},
    ...fields,
  };
}

function read(path: string): string {
  return readFileSync(path, "utf8");
}

/** NAME=value lines of a file written by `env`, as a record. */
function envFile(path: string): Record<string, string> {
  const lines = read(path).split("\n").filter(Boolean);
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

function id(flag: string): string {
  return spawnSync("id", [flag], { encoding: "utf8" }).stdout.trim();
}

const DUMP_ENV = "env | grep -E '^(SLURMD?_|ENVIRONMENT=)' | sort >vars";

describe("the SLURM variables a batch script sees", () => {
  it("on a single node", () => {
    const c = cluster();
    const n = node(c, "solo");
    const before = Math.floor(Date.now() / 1000);
    const text = script(
      slurmTask(DUMP_ENV, {
        slurm: {
          job_name: "my train",
          ntasks: 4,
          cpus_per_task: 2,
          gpus_per_node: 2,
          mem_per_node_mb: 1000,
          partition: "gpu",
          time_limit_minutes: 60,
          open_mode: "append",
        },
      }),
      { instance: { cpus: 16, gpus: 8, memoryMb: 64000 } },
    );
    const result = runOn(n, text);
    expect(result.status).toBe(0);
    const vars = envFile(join(n.work, "vars"));
    const start = Number(vars.SLURM_JOB_START_TIME);
    expect(start).toBeGreaterThanOrEqual(before);
    expect(start).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    const jobId = String(stableJobId("train"));
    expect(vars).toEqual({
      ENVIRONMENT: "BATCH",
      SLURMD_NODENAME: "solo",
      SLURM_CLUSTER_NAME: "flow",
      SLURM_CPUS_ON_NODE: "16",
      SLURM_CPUS_PER_TASK: "2",
      SLURM_GPUS_ON_NODE: "2",
      SLURM_GPUS_PER_NODE: "2",
      SLURM_GTIDS: "0",
      SLURM_JOBID: jobId,
      SLURM_JOB_CPUS_PER_NODE: "16",
      SLURM_JOB_END_TIME: String(start + 3600),
      SLURM_JOB_GID: id("-g"),
      SLURM_JOB_GPUS: "0,1",
      SLURM_JOB_GROUP: id("-gn"),
      SLURM_JOB_ID: jobId,
      SLURM_JOB_NAME: "my train",
      SLURM_JOB_NODELIST: "solo",
      SLURM_JOB_NUM_NODES: "1",
      SLURM_JOB_PARTITION: "gpu",
      SLURM_JOB_START_TIME: String(start),
      SLURM_JOB_UID: String(userInfo().uid),
      SLURM_JOB_USER: userInfo().username,
      SLURM_LOCALID: "0",
      SLURM_MEM_PER_NODE: "1000",
      SLURM_NNODES: "1",
      SLURM_NODEID: "0",
      SLURM_NODELIST: "solo",
      SLURM_NPROCS: "4",
      SLURM_NTASKS: "4",
      SLURM_OPEN_MODE: "a",
      SLURM_PROCID: "0",
      SLURM_RESTART_COUNT: "0",
      SLURM_SUBMIT_DIR: n.work,
      SLURM_SUBMIT_HOST: "flow",
      SLURM_TASKS_PER_NODE: "4",
    });
  });

  it("on node 1 of 3, found in the hosts file", () => {
    const c = cluster();
    const n = node(c, "gpu-b");
    const text = script(
      slurmTask(DUMP_ENV, { num_instances: 3, slurm: { ntasks_per_node: 2 }, max_run_time_hours: 2 }),
    );
    const result = runOn(n, text);
    expect(result.stderr.toString()).toBe("");
    expect(result.status).toBe(0);
    const vars = envFile(join(n.work, "vars"));
    expect(vars).toMatchObject({
      SLURM_NODEID: "1",
      SLURMD_NODENAME: "gpu-b.cluster",
      SLURM_JOB_NODELIST: NODELIST,
      SLURM_NODELIST: NODELIST,
      SLURM_JOB_NUM_NODES: "3",
      SLURM_NNODES: "3",
      SLURM_NTASKS: "6",
      SLURM_NPROCS: "6",
      SLURM_NTASKS_PER_NODE: "2",
      SLURM_TASKS_PER_NODE: "2(x3)",
      SLURM_PROCID: "0",
      SLURM_LOCALID: "0",
      SLURM_JOB_PARTITION: "flow",
      SLURM_JOB_NAME: "train",
    });
    const cpus = spawnSync("nproc", { encoding: "utf8" }).stdout.trim();
    expect(vars.SLURM_CPUS_ON_NODE).toBe(cpus);
    expect(vars.SLURM_JOB_CPUS_PER_NODE).toBe(`${cpus}(x3)`);
    expect(Number(vars.SLURM_JOB_END_TIME) - Number(vars.SLURM_JOB_START_TIME)).toBe(7200);
    expect(vars.SLURM_NTASKS_PER_NODE).toBe("2");
    for (const absent of [
      "SLURM_ARRAY_JOB_ID",
      "SLURM_GPUS_ON_NODE",
      "SLURM_MEM_PER_NODE",
      "SLURM_OPEN_MODE",
    ]) {
      expect(vars[absent]).toBeUndefined();
    }
  });

  it("finds the node by its address when no name matches", () => {
    const c = cluster("127.0.0.1 localhost\n198.51.100.9 node-x\n198.51.100.8 node-w\n");
    writeFileSync(
      join(c.bin, "hostname"),
      '#!/bin/sh\nif [ "$1" = -I ]; then echo "10.9.9.9 198.51.100.9 "; else echo ip-198-51-100-9; fi\n',
    );
    chmodSync(join(c.bin, "hostname"), 0o755);
    const n = node(c, "unused");
    const { FLOW_HOSTNAME: _, ...env } = n.env;
    const text = script(slurmTask(DUMP_ENV, { num_instances: 2 }));
    const result = runScript(text.replaceAll("@WORK@", n.work), env);
    expect(result.status).toBe(0);
    expect(envFile(join(n.work, "vars"))).toMatchObject({
      SLURM_NODEID: "1",
      SLURMD_NODENAME: "node-x",
      SLURM_JOB_NODELIST: "node-w,node-x",
    });
  });

  it("leaves SLURM_NTASKS unset when the job did not give a task count", () => {
    const c = cluster();
    const n = node(c, "solo");
    runOn(
      n,
      script(slurmTask(DUMP_ENV, { slurm: { mem_per_node_mb: 0 } }), { instance: { memoryMb: 4096 } }),
    );
    const vars = envFile(join(n.work, "vars"));
    expect(vars.SLURM_NTASKS).toBeUndefined();
    expect(vars.SLURM_NPROCS).toBeUndefined();
    expect(vars.SLURM_TASKS_PER_NODE).toBe("1");
    expect(vars.SLURM_MEM_PER_NODE).toBe("4096");
  });

  it("overrides a task variable of the same name with the emulated value", () => {
    const c = cluster();
    const n = node(c, "solo");
    runOn(n, script(slurmTask(DUMP_ENV, { env: { SLURM_JOB_NAME: "stale", OTHER: "x" } })));
    expect(envFile(join(n.work, "vars")).SLURM_JOB_NAME).toBe("train");
  });
});

describe("array tasks", () => {
  it("see the array variables and their own job id", () => {
    const c = cluster();
    const n = node(c, "solo");
    const task = slurmTask(`${DUMP_ENV}\necho "task $SLURM_ARRAY_TASK_ID"`, {
      array: { task_ids: [0, 2, 4] },
    });
    const result = runOn(n, script(task, { arrayTaskId: 2 }));
    expect(result.status).toBe(0);
    const base = stableJobId("train");
    expect(envFile(join(n.work, "vars"))).toMatchObject({
      SLURM_JOB_ID: String(base + 1),
      SLURM_JOBID: String(base + 1),
      SLURM_ARRAY_JOB_ID: String(base),
      SLURM_ARRAY_TASK_ID: "2",
      SLURM_ARRAY_TASK_COUNT: "3",
      SLURM_ARRAY_TASK_MIN: "0",
      SLURM_ARRAY_TASK_MAX: "4",
      SLURM_ARRAY_TASK_STEP: "2",
    });
    expect(read(join(n.work, `slurm-${base}_2.out`))).toBe("task 2\n");
  });

  it("need their array task id", () => {
    const task = slurmTask("true", { array: { task_ids: [0, 1] } });
    expect(() => buildStartupScript(task)).toThrow(/arrayTaskId/);
    expect(() => buildStartupScript(task, { arrayTaskId: 5 })).toThrow(/not one of/);
  });
});

describe("srun on each node", () => {
  const body = `srun bash -c 'echo "task $SLURM_PROCID local $SLURM_LOCALID node $SLURM_NODEID of $SLURM_STEP_NUM_TASKS"' | sort -n -k2`;

  it("starts this node's share of 8 tasks on 2 nodes", () => {
    const c = cluster("192.0.2.1 n0\n192.0.2.2 n1\n");
    const text = script(slurmTask(body, { num_instances: 2, slurm: { ntasks: 8, output: "out.txt" } }));
    const lines = (host: string) => {
      const n = node(c, host);
      expect(runOn(n, text).status).toBe(0);
      return read(join(n.work, "out.txt"));
    };
    expect(lines("n0")).toBe([0, 1, 2, 3].map((p) => `task ${p} local ${p} node 0 of 8\n`).join(""));
    expect(lines("n1")).toBe([4, 5, 6, 7].map((p) => `task ${p} local ${p - 4} node 1 of 8\n`).join(""));
  });

  it("returns the tasks' failure as the script's status", () => {
    const c = cluster();
    const n = node(c, "solo");
    const result = runOn(n, script(slurmTask("srun -n3 bash -c 'exit $((SLURM_PROCID + 3))'\nexit $?")));
    expect(result.status).toBe(3);
    expect(read(join(n.logs, "exit-status"))).toBe("3\n");
    expect(result.log).toContain("flow: command exited with status 3\n");
  });
});

describe("scontrol and torchrun-style launches", () => {
  it("give every node the same head address and its own rank", () => {
    const body = [
      "scontrol show hostnames >hosts-out",
      "scontrol show hostnames 'node[08-10],x' >>hosts-out",
      'head=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1)',
      'echo "torchrun --nnodes $SLURM_NNODES --node_rank $SLURM_NODEID --master_addr $head" >launch',
    ].join("\n");
    const text = script(slurmTask(body, { num_instances: 3 }));
    const c = cluster();
    for (const [host, rank] of [
      ["gpu-a", 0],
      ["gpu-b", 1],
      ["gpu-c", 2],
    ] as const) {
      const n = node(c, host);
      expect(runOn(n, text).status).toBe(0);
      expect(read(join(n.work, "launch"))).toBe(
        `torchrun --nnodes 3 --node_rank ${rank} --master_addr gpu-a.cluster\n`,
      );
      expect(read(join(n.work, "hosts-out"))).toBe(
        `${NODELIST.replaceAll(",", "\n")}\nnode08\nnode09\nnode10\nx\n`,
      );
    }
  });

  it("fails controller commands loudly", () => {
    const c = cluster();
    const n = node(c, "solo");
    const result = runOn(n, script(slurmTask("squeue -u me")));
    expect(result.status).toBe(1);
    expect(result.log).toContain("squeue (flow): not emulated: a cloud instance has no SLURM controller\n");
  });
});

describe("node discovery failures", () => {
  it("stops when the hosts file does not hold the job's node count", () => {
    const c = cluster();
    const n = node(c, "gpu-a");
    const result = runOn(n, script(slurmTask("touch ran", { num_instances: 2 })));
    expect(result.status).toBe(1);
    expect(result.log).toContain(
      `flow: SLURM emulation: this host (gpu-a) must be one of the 2 cluster hosts in ${c.hosts}; found 3: ${NODELIST}\n`,
    );
    expect(existsSync(join(n.work, "ran"))).toBe(false);
  });

  it("stops when there is no hosts file", () => {
    const c = cluster();
    const n = node(c, "gpu-a");
    const result = runOn(n, script(slurmTask("true", { num_instances: 2 })), {
      FLOW_HOSTS_FILE: join(c.root, "nope"),
    });
    expect(result.status).toBe(1);
    expect(result.log).toContain("must be one of the 2 cluster hosts in");
    expect(result.log).toContain("found 0: none\n");
  });

  it("stops when this host is not among them", () => {
    const c = cluster();
    const result = runOn(node(c, "stranger"), script(slurmTask("true", { num_instances: 3 })));
    expect(result.status).toBe(1);
    expect(result.log).toContain("this host (stranger) must be one of the 3 cluster hosts");
  });
});

describe("output and error files", () => {
  it("default to slurm-%j.out in the working dir, with the log still complete", () => {
    const c = cluster();
    const n = node(c, "solo");
    const result = runOn(n, script(slurmTask("echo out; echo err >&2")));
    const file = read(join(n.work, `slurm-${stableJobId("train")}.out`));
    expect(file.split("\n").sort()).toEqual(["", "err", "out"]);
    expect(result.log).toContain("out\n");
    expect(result.log).toContain("err\n");
  });

  it("are set up, node found and files written with a task PATH that lacks the system's directories", () => {
    const c = cluster();
    const n = node(c, "gpu-b");
    // the batch script runs with the task's PATH (the shims first); the section's own commands
    // (mkdir, awk, sort, id, date, tee…) must not depend on it
    const text = script(
      slurmTask('echo "$PATH"; echo "$SLURM_NODEID $SLURMD_NODENAME"; echo err >&2', {
        num_instances: 3,
        env: { PATH: "/opt/conda/bin" },
        slurm: { output: "logs/%N.out", error: "logs/%N.err" },
      }),
    );
    const result = runOn(n, text);
    expect(result.status, result.log).toBe(0);
    expect(read(join(n.work, "logs/gpu-b.cluster.out"))).toBe(
      `${join(n.logs, "slurm")}:/opt/conda/bin\n1 gpu-b.cluster\n`,
    );
    expect(read(join(n.work, "logs/gpu-b.cluster.err"))).toBe("err\n");
  });

  it("expand %x, %j, %N and %n, create directories and separate stderr", () => {
    const c = cluster();
    const n = node(c, "gpu-c");
    const text = script(
      slurmTask("echo out; echo err >&2", {
        num_instances: 3,
        slurm: { job_name: "exp", output: "logs/%x-%j.out", error: "logs/%N/%x-%2n.err" },
      }),
    );
    const result = runOn(n, text);
    expect(result.status).toBe(0);
    expect(read(join(n.work, `logs/exp-${stableJobId("train")}.out`))).toBe("out\n");
    expect(read(join(n.work, "logs/gpu-c.cluster/exp-02.err"))).toBe("err\n");
    expect(result.log).toContain("out\n");
    expect(result.log).toContain("err\n");
  });

  it("truncate by default and append with open_mode append", () => {
    const c = cluster();
    const n = node(c, "solo");
    mkdirSync(n.work, { recursive: true });
    writeFileSync(join(n.work, "a.out"), "old\n");
    writeFileSync(join(n.work, "t.out"), "old\n");
    runOn(n, script(slurmTask("echo new", { slurm: { output: "a.out", open_mode: "append" } })));
    runOn(n, script(slurmTask("echo new", { slurm: { output: "t.out" } })));
    expect(read(join(n.work, "a.out"))).toBe("old\nnew\n");
    expect(read(join(n.work, "t.out"))).toBe("new\n");
  });

  it("stop the script when the file cannot be created", () => {
    const c = cluster();
    const n = node(c, "solo");
    mkdirSync(n.work, { recursive: true });
    writeFileSync(join(n.work, "file"), "");
    const result = runOn(n, script(slurmTask("touch ran", { slurm: { output: "file/sub/x.out" } })));
    expect(result.status).not.toBe(0);
    expect(existsSync(join(n.work, "ran"))).toBe(false);
  });
});

describe("--signal", () => {
  /** A one-minute job that asks for USR1 58 s before its limit: one to two seconds after it starts. */
  const signalled = (body: string, batchOnly: boolean, fields: Partial<TaskConfig> = {}) =>
    slurmTask(body, {
      slurm: { time_limit_minutes: 1, signal: { name: "USR1", seconds_before: 58, batch_only: batchOnly } },
      ...fields,
    });
  const BUSY = "for i in $(seq 100); do sleep 0.05; done";

  it("with B: signals the batch shell", () => {
    const c = cluster();
    const n = node(c, "solo");
    const body = `trap 'echo caught; exit 7' USR1\n${BUSY}\necho late`;
    const result = runOn(n, script(signalled(body, true)));
    expect(result.status).toBe(7);
    expect(read(join(n.work, `slurm-${stableJobId("train")}.out`))).toBe("caught\n");
  });

  it("without B: signals the tasks srun started, not the batch shell", () => {
    const c = cluster();
    const n = node(c, "solo");
    const task = `trap 'echo "$SLURM_PROCID caught"; exit 0' USR1; ${BUSY}; echo late`;
    const body = `srun -n2 bash -c ${JSON.stringify(task).replaceAll("$", "\\$")} | sort\necho "batch alive"`;
    const result = runOn(n, script(signalled(body, false)));
    expect(result.status).toBe(0);
    expect(read(join(n.work, `slurm-${stableJobId("train")}.out`))).toBe("0 caught\n1 caught\nbatch alive\n");
  });

  it("without B: the step's timer ends with the step (no sleep is left behind)", () => {
    const c = cluster();
    const n = node(c, "solo");
    // The signal is due in about 3,500 s; the step ends at once and so must the script.
    const task = slurmTask("srun -n1 sleep 0.5\necho done", {
      slurm: { time_limit_minutes: 60, signal: { name: "USR1", seconds_before: 60 } },
    });
    const result = runOn(n, script(task));
    expect(result.status).toBe(0);
    expect(read(join(n.work, `slurm-${stableJobId("train")}.out`))).toBe("done\n");
    // The timer slept for about 3,540 s (limit − 60 s − elapsed): no such sleep may survive the step.
    const sleeps = spawnSync("ps", ["-eo", "args="], { encoding: "utf8" })
      .stdout.split("\n")
      .filter((line) => /^sleep 3[45]\d\d$/.test(line.trim()));
    expect(sleeps).toEqual([]);
  });

  it("with B: the timer ends with the batch script (no process is left behind)", () => {
    const c = cluster();
    const n = node(c, "solo");
    const task = slurmTask("sleep 0.5\necho done", {
      slurm: { time_limit_minutes: 60, signal: { name: "USR1", seconds_before: 60, batch_only: true } },
    });
    const result = runOn(n, script(task));
    expect(result.status).toBe(0);
    expect(read(join(n.work, `slurm-${stableJobId("train")}.out`))).toBe("done\n");
    const timers = spawnSync("ps", ["-eo", "args="], { encoding: "utf8" })
      .stdout.split("\n")
      .filter((line) => /^(sleep|read) 3[45]\d\d$/.test(line.trim()));
    expect(timers).toEqual([]);
  });

  it("is never armed for a job without a time limit", () => {
    const text = (batchOnly: boolean) =>
      buildStartupScript(
        slurmTask("true", { slurm: { signal: { name: "USR1", seconds_before: 60, batch_only: batchOnly } } }),
      ).text!;
    expect(text(true)).not.toContain("FLOW_PID");
    expect(text(false)).not.toMatch(/^FLOW_SLURM_SIGNAL=/m);
  });

  it("reaches a container: B: through the docker client, the tasks' signal through the environment", () => {
    const image = "img:1";
    const b = script(signalled("true", true, { image }));
    expect(b).toMatch(
      /\n"\$FLOW_DOCKER" run .* > >\("\$FLOW_TEE" -a "\$FLOW_SLURM_OUT"\) 2>&1 &\nFLOW_PID=\$!\n/,
    );
    expect(b).toContain('kill -s USR1 "$FLOW_PID"');
    const steps = script(signalled("true", false, { image }));
    expect(steps).toMatch(/^ENVIRONMENT=BATCH \\\nFLOW_SLURM_SIGNAL=USR1@58\n/m);
    expect(steps).toContain('ENVIRONMENT FLOW_SLURM_SIGNAL; do FLOW_SLURM_ENV+=(-e "$FLOW_V")');
  });
});

/** Each docker invocation's argv. */
function dockerCalls(c: Cluster): string[][] {
  return read(join(c.stub, "docker-calls"))
    .split("\x1e")
    .slice(0, -1)
    .map((call) => call.split("\0").slice(0, -1));
}

describe("in a container", () => {
  it("mounts the shims, passes the SLURM variables by name and puts the shims on PATH", () => {
    const c = cluster();
    const n = node(c, "gpu-a");
    const image = "nvcr.io/nvidia/pytorch:24.05-py3";
    const text = script(
      slurmTask("srun python train.py", { image, num_instances: 3, env: { WANDB_MODE: "offline" } }),
    );
    const result = runOn(n, text);
    expect(result.status).toBe(0);
    const run = dockerCalls(c).find((call) => call[0] === "run")!;
    const at = run.indexOf(image);
    expect(run.slice(at)).toEqual([
      image,
      "sh",
      "-c",
      'PATH=/flow-slurm:$PATH; exec "$@"',
      "sh",
      "/flow-task-script",
    ]);
    expect(run).toContain(`${n.logs}/slurm:/flow-slurm:ro`);
    const passed = read(join(c.stub, "docker-env")).split("\0").slice(0, -1);
    const names = passed.map((p) => p.slice(0, p.indexOf("=")));
    expect(names).toContain("WANDB_MODE");
    expect(names).toContain("ENVIRONMENT");
    expect(names).toContain("SLURMD_NODENAME");
    expect(passed).toContain("SLURM_NODEID=0");
    expect(passed).toContain(`SLURM_JOB_NODELIST=${NODELIST}`);
    expect(passed).toContain(`SLURM_JOB_ID=${stableJobId("train")}`);
    expect(passed.every((p) => !p.endsWith("=UNSET"))).toBe(true);
    expect(run.filter((_, i) => run[i - 1] === "-e").every((name) => /^[A-Z_]+$/.test(name))).toBe(true);
    const out = read(join(n.work, `slurm-${stableJobId("train")}.out`));
    expect(out.split("\n").sort()).toEqual(["", "container says hi", "container warns"]);
  });

  it("wraps argv and shell commands too, and leaves a task without a command alone", () => {
    const image = "img:1";
    const words = (task: TaskConfig) => {
      const run = startupScriptSections(task).at(-1)!.text;
      return run.slice(run.indexOf(image));
    };
    expect(words({ name: "t", image, slurm: {}, command: ["python", "x.py"] })).toMatch(
      /^img:1 sh -c 'PATH=\/flow-slurm:\$PATH; exec "\$@"' sh python x\.py >/,
    );
    expect(words({ name: "t", image, slurm: {}, command: "echo hi" })).toMatch(
      /^img:1 sh -c 'PATH=\/flow-slurm:\$PATH; exec "\$@"' sh bash -c 'echo hi' >/,
    );
    expect(words({ name: "t", image, slurm: {} })).toMatch(/^img:1 infinity >/);
  });
});

describe("slurmSection", () => {
  it("is absent without slurm, and placed after env and before run with it", () => {
    expect(slurmSection({ name: "t", script: "x" })).toBeUndefined();
    const names = startupScriptSections({ name: "t", env: { A: "1" }, script: "x", slurm: {} }).map(
      (s) => s.name,
    );
    expect(names).toEqual(["header", "setup", "env", "slurm", "run"]);
  });

  it("is deterministic", () => {
    const task = slurmTask("srun hostname", { num_instances: 2, slurm: { ntasks: 4 } });
    expect(buildStartupScript(task).text).toBe(buildStartupScript(structuredClone(task)).text);
  });

  it("keeps a typical 2-node job small", () => {
    const sbatch = `#!/bin/bash
#SBATCH --job-name=llama-ft
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node=8
#SBATCH --cpus-per-task=96
#SBATCH --time=24:00:00
#SBATCH --output=logs/%x-%j.out
module load cuda/12.1
source ~/venv/bin/activate
export OMP_NUM_THREADS=8
head=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1)
srun torchrun --nnodes "$SLURM_NNODES" --nproc_per_node 8 --node_rank "$SLURM_NODEID" \\
  --master_addr "$head" --master_port 29500 train.py --config configs/ft.yaml
`;
    const task: TaskConfig = {
      name: "llama-ft",
      num_instances: 2,
      script: sbatch,
      working_dir: "/workspace",
      slurm: {
        job_name: "llama-ft",
        ntasks_per_node: 1,
        gpus_per_node: 8,
        cpus_per_task: 96,
        time_limit_minutes: 1440,
        output: "logs/%x-%j.out",
      },
    };
    const result = buildStartupScript(task, { instance: { cpus: 208, gpus: 8, memoryMb: 1843200 } });
    const slurm = result.sections.find((s) => s.name === "slurm")!;
    console.info(`slurm section of a typical 2-node job: ${slurm.bytes} bytes; whole script ${result.bytes}`);
    expect(slurm.bytes).toBe(slurm.chars);
    expect(slurm.bytes).toBeLessThan(5_700);
    // the rest: header (with the exit trap), setup (the script file) and run (with the limit's
    // `timeout` and its power-off at the limit)
    expect(result.bytes).toBeLessThan(7_200);
    const withImage = buildStartupScript({ ...task, image: "nvcr.io/nvidia/pytorch:24.05-py3" });
    expect(withImage.text).toBeDefined();
    shellcheck(withImage.text!);
  });
});

describe("tasks without slurm", () => {
  it("get exactly the golden scripts, whatever the array id and instance facts", () => {
    const dir = "fixtures/yaml";
    const cases = [
      "docker-env",
      "fid",
      "full-name",
      "gpu-memory",
      "minimal",
      "script",
      "sdk-example",
      "yaml11-bool",
    ];
    for (const name of cases) {
      const ir = JSON.parse(read(join(dir, `${name}.ir.json`))) as TaskConfig;
      const options = { arrayTaskId: 3, instance: { cpus: 8, gpus: 1, memoryMb: 1024 } };
      expect(buildStartupScript(ir, options).text, name).toBe(read(join(dir, `${name}.sh`)));
    }
  });
});
