/**
 * The shim program on its own: written to a temporary directory with its command links, run by
 * bash with exactly the SLURM variables a node's batch script would have, and linted.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import { compressCounts, taskLayout } from "../../../../../../src/backends/fcp/script/slurm/job.ts";
import {
  SHIM_COMMANDS,
  SHIM_PROGRAM,
  SHIM_SCRIPT,
  SRUN_SHORT_FLAGS,
} from "../../../../../../src/backends/fcp/script/slurm/shim.ts";
import { SRUN_OPTIONS } from "../../../../../../src/frontends/slurm/body/srun-options.ts";
import { shellcheck } from "../../../../../helpers/shell.ts";

const dir = mkdtempSync(join(tmpdir(), "flow-shim-"));
writeFileSync(join(dir, SHIM_PROGRAM), SHIM_SCRIPT);
chmodSync(join(dir, SHIM_PROGRAM), 0o755);
for (const name of SHIM_COMMANDS) symlinkSync(SHIM_PROGRAM, join(dir, name));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A node's environment: node `rank` of `nodes`, with `extra` on top. */
function nodeEnv(rank: number, nodes: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${dir}:/usr/bin:/bin`,
    TMPDIR: dir,
    SLURM_JOB_ID: String(1000 + Math.floor(Math.random() * 1e6)),
    SLURM_NODEID: String(rank),
    SLURM_JOB_NUM_NODES: String(nodes),
    SLURM_NNODES: String(nodes),
    SLURM_JOB_NODELIST: Array.from({ length: nodes }, (_, k) => `node${k}`).join(","),
    ...extra,
  };
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(argv: string[], env: Record<string, string>): Run {
  const result = spawnSync(argv[0]!, argv.slice(1), { env, encoding: "utf8", timeout: 20_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Each task's "PROCID LOCALID NODEID" line, sorted by PROCID. */
function tasks(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => l !== "")
    .sort((a, b) => Number(a.split(" ")[0]) - Number(b.split(" ")[0]));
}

const REPORT = ["bash", "-c", 'echo "$SLURM_PROCID $SLURM_LOCALID $SLURM_NODEID"'];

describe("the shim program", () => {
  it("passes shellcheck", () => {
    shellcheck(SHIM_SCRIPT);
  });
});

describe("srun", () => {
  it("starts this node's block of tasks: 8 tasks on 2 nodes", () => {
    const node0 = run(["srun", "-n", "8", ...REPORT], nodeEnv(0, 2));
    const node1 = run(["srun", "--ntasks=8", ...REPORT], nodeEnv(1, 2));
    expect(node0.status).toBe(0);
    expect(tasks(node0.stdout)).toEqual(["0 0 0", "1 1 0", "2 2 0", "3 3 0"]);
    expect(node1.status).toBe(0);
    expect(tasks(node1.stdout)).toEqual(["4 0 1", "5 1 1", "6 2 1", "7 3 1"]);
  });

  it("defaults to the job's SLURM_NTASKS and SLURM_NTASKS_PER_NODE", () => {
    const env = nodeEnv(2, 3, { SLURM_NTASKS: "6", SLURM_NTASKS_PER_NODE: "2" });
    expect(tasks(run(["srun", ...REPORT], env).stdout)).toEqual(["4 0 2", "5 1 2"]);
  });

  it("runs one task per node when the job says nothing", () => {
    expect(tasks(run(["srun", ...REPORT], nodeEnv(1, 3)).stdout)).toEqual(["1 0 1"]);
  });

  it("fills nodes in order with --ntasks-per-node", () => {
    const last = run(["srun", "-n5", "--ntasks-per-node", "2", ...REPORT], nodeEnv(2, 3));
    expect(tasks(last.stdout)).toEqual(["4 0 2"]);
  });

  it("splits grouped short flags as getopt does: -lun2 is -l -u -n2", () => {
    const r = run(["srun", "-lun2", "bash", "-c", 'echo "$SLURM_PROCID"'], nodeEnv(0, 1));
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n").filter(Boolean).sort()).toEqual(["0: 0", "1: 1"]);
  });

  it("knows the flags the body analysis knows (contract with srun-options.ts)", () => {
    const flags = SRUN_OPTIONS.filter((o) => o.short !== undefined && o.arg === 0).map((o) => o.short);
    expect([...SRUN_SHORT_FLAGS].sort()).toEqual(flags.sort());
  });

  it("honours --tasks-per-node, srun's other spelling, exactly like --ntasks-per-node", () => {
    const last = run(["srun", "-n5", "--tasks-per-node=2", ...REPORT], nodeEnv(2, 3));
    expect(last.stderr).toBe("");
    expect(tasks(last.stdout)).toEqual(["4 0 2"]);
  });

  it("runs nothing, successfully, on a node outside the step (-N1)", () => {
    const node1 = run(["srun", "-N1", ...REPORT], nodeEnv(1, 2));
    expect(node1).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(tasks(run(["srun", "-N", "1", ...REPORT], nodeEnv(0, 2)).stdout)).toEqual(["0 0 0"]);
  });

  it("sets the step variables in each task", () => {
    const env = nodeEnv(1, 2, { SLURM_JOB_NODELIST: "a,b" });
    const out = run(
      [
        "srun",
        "-n3",
        "-c",
        "4",
        "bash",
        "-c",
        'echo "$SLURM_NTASKS $SLURM_NPROCS $SLURM_NNODES $SLURM_TASKS_PER_NODE $SLURM_STEP_NUM_TASKS $SLURM_STEP_NUM_NODES $SLURM_STEP_NODELIST $SLURM_STEP_TASKS_PER_NODE $SLURM_STEP_ID $SLURM_CPUS_PER_TASK"',
      ],
      env,
    );
    expect(out.stdout).toBe("3 3 2 2,1 3 2 a,b 2,1 0 4\n");
    const again = run(["srun", "bash", "-c", 'echo "$SLURM_STEP_ID $SLURM_STEPID"'], env);
    expect(again.stdout).toBe("1 1\n");
  });

  it("gives tasks the caller's variables, even those named like the shim's own", () => {
    const env = nodeEnv(0, 1, { N: "mine", D: "also mine", O: "o" });
    const out = run(["srun", "-n2", "bash", "-c", 'echo "$N|$D|$O"'], env);
    expect(out.stdout).toBe("mine|also mine|o\nmine|also mine|o\n");
  });

  it("exits with the first non-zero status in rank order, after all tasks end", () => {
    const result = run(
      [
        "srun",
        "-n4",
        "bash",
        "-c",
        'sleep 0.$((3 - SLURM_PROCID)); touch "$D/$SLURM_PROCID"; exit $((SLURM_PROCID * 2))',
      ],
      { ...nodeEnv(0, 1), D: dir },
    );
    expect(result.status).toBe(2);
    const done = run(["ls", dir], { PATH: "/usr/bin:/bin" }).stdout.split("\n");
    expect(done).toEqual(expect.arrayContaining(["0", "1", "2", "3"]));
    expect(run(["srun", "-n2", "true"], nodeEnv(0, 1)).status).toBe(0);
    expect(run(["srun", "false"], nodeEnv(0, 1)).status).toBe(1);
  });

  it("labels output lines with the task rank (-l)", () => {
    const out = run(["srun", "-l", "-n", "12", "bash", "-c", "echo hi"], nodeEnv(1, 2));
    expect(out.stdout.split("\n").filter(Boolean).sort()).toEqual([
      " 6: hi",
      " 7: hi",
      " 8: hi",
      " 9: hi",
      "10: hi",
      "11: hi",
    ]);
  });

  it("honours --export", () => {
    const env = nodeEnv(0, 1, { KEEP: "k", DROP: "d" });
    const show = ["/usr/bin/env"];
    const none = run(["srun", "--export=NONE,KEEP,NEW=a b", ...show], env).stdout.split("\n");
    expect(none).toContain("KEEP=k");
    expect(none).toContain("NEW=a b");
    expect(none).toContain("SLURM_PROCID=0");
    expect(none.some((l) => l.startsWith("DROP=") || l.startsWith("PATH="))).toBe(false);
    const all = run(["srun", "--export", "ALL,NEW=x", ...show], env).stdout.split("\n");
    expect(all).toEqual(expect.arrayContaining(["KEEP=k", "DROP=d", "NEW=x"]));
  });

  it("accepts resource options silently and warns once about others", () => {
    const quiet = run(
      ["srun", "--gpus-per-node=8", "--gres", "gpu:8", "--mpi=pmix", "-G2", "--exclusive", "-u", "true"],
      nodeEnv(0, 1),
    );
    expect(quiet).toEqual({ status: 0, stdout: "", stderr: "" });
    const loud = run(["srun", "--frobnicate", "3", "--wat=x", "-o", "f.out", "true"], nodeEnv(0, 1));
    expect(loud.status).toBe(0);
    expect(loud.stderr).toBe(
      "srun (flow): ignoring --frobnicate 3\nsrun (flow): ignoring --wat x\nsrun (flow): ignoring -o f.out\n",
    );
  });

  it("fails loudly on bad counts or a missing command", () => {
    const tooMany = run(["srun", "-N3", "true"], nodeEnv(0, 2));
    expect(tooMany.status).toBe(1);
    expect(tooMany.stderr).toContain("the job has 2 nodes");
    expect(run(["srun", "-n", "x", "true"], nodeEnv(0, 1)).status).toBe(1);
    const none = run(["srun", "-n2"], nodeEnv(0, 1));
    expect(none.status).toBe(1);
    expect(none.stderr).toBe("srun (flow): no command given\n");
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 4 }),
      fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
      fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    ],
    { numRuns: 15 },
  )("lays tasks out as the compiler does (taskLayout)", (nodes, extra, perNode) => {
    // At least one task per node: with fewer, srun (like SLURM's) shrinks the step to fewer nodes.
    const ntasks = extra === undefined ? undefined : nodes + extra;
    const counts = taskLayout(nodes, ntasks, perNode);
    const argv = [
      "srun",
      ...(ntasks ? [`-n${ntasks}`] : []),
      ...(perNode ? [`--ntasks-per-node=${perNode}`] : []),
    ];
    let first = 0;
    for (let rank = 0; rank < nodes; rank++) {
      const out = run(
        [...argv, "bash", "-c", 'echo "$SLURM_PROCID $SLURM_TASKS_PER_NODE"'],
        nodeEnv(rank, nodes),
      );
      const expected = Array.from(
        { length: counts[rank]! },
        (_, i) => `${first + i} ${compressCounts(counts)}`,
      );
      expect(tasks(out.stdout)).toEqual(expected);
      first += counts[rank]!;
    }
  });
});

describe("scontrol", () => {
  it("expands the job's node list", () => {
    const out = run(
      ["scontrol", "show", "hostnames"],
      nodeEnv(0, 1, { SLURM_JOB_NODELIST: "h-a,h-b.x,h-c" }),
    );
    expect(out).toEqual({ status: 0, stdout: "h-a\nh-b.x\nh-c\n", stderr: "" });
  });

  it("expands explicit hostlists, keeping zero padding", () => {
    const out = run(
      ["scontrol", "show", "hostname", "node[01-03,10],x,gpu[1-2]-ib[7,9],[3-4]y"],
      nodeEnv(0, 1),
    );
    expect(out.stdout.split("\n").filter(Boolean)).toEqual([
      "node01",
      "node02",
      "node03",
      "node10",
      "x",
      "gpu1-ib7",
      "gpu1-ib9",
      "gpu2-ib7",
      "gpu2-ib9",
      "3y",
      "4y",
    ]);
  });

  it("rejects malformed hostlists", () => {
    for (const bad of ["a[", "a,,b", "a[x-y]", ",a"]) {
      const out = run(["scontrol", "show", "hostnames", bad], nodeEnv(0, 1));
      expect(out.status).toBe(1);
      expect(out.stderr).toBe(`scontrol (flow): bad hostlist: ${bad}\n`);
    }
  });

  it("says clearly that everything else is not emulated", () => {
    const out = run(["scontrol", "show", "job", "12"], nodeEnv(0, 1));
    expect(out).toEqual({
      status: 1,
      stdout: "",
      stderr: "scontrol (flow): 'show job 12' is not emulated (only 'show hostnames')\n",
    });
  });
});

describe("controller commands", () => {
  it.each(["sbatch", "salloc", "squeue", "scancel", "sacct", "sinfo", "sstat"])("%s fails loudly", (name) => {
    const out = run([name, "--help"], nodeEnv(0, 1));
    expect(out).toEqual({
      status: 1,
      stdout: "",
      stderr: `${name} (flow): not emulated: a cloud instance has no SLURM controller\n`,
    });
  });
});
