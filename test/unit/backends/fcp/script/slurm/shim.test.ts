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
  SRUN_LONG_FLAGS,
  SRUN_SHORT_FLAGS,
  SRUN_SHORT_OPTIONAL,
} from "../../../../../../src/backends/fcp/script/slurm/shim.ts";
import {
  SRUN_OPTIONS,
  srunLongFlagsForShim,
} from "../../../../../../src/frontends/slurm/body/srun-options.ts";
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

  it("knows the short options with an optional, attached-only value (contract with srun-options.ts)", () => {
    const optional = SRUN_OPTIONS.filter((o) => o.short !== undefined && o.arg === 2).map((o) => o.short);
    expect([...SRUN_SHORT_OPTIONAL].sort()).toEqual(optional.sort());
  });

  it("knows the value-less long options the body analysis knows (contract with srun-options.ts)", () => {
    expect(SRUN_LONG_FLAGS).toBe(srunLongFlagsForShim());
  });

  it("matches exactly the spellings getopt_long reads as an option without a required value", () => {
    // Every spelling srun accepts, each option in full and each unambiguous abbreviation (several
    // options sharing an abbreviation is srun's error, left out), tested in one bash run against
    // the pattern as the shim tests it.
    const spellings = new Map<string, boolean>();
    for (const { name } of SRUN_OPTIONS) {
      for (let length = 1; length <= name.length; length++) {
        const x = name.slice(0, length);
        const exact = SRUN_OPTIONS.find((o) => o.name === x);
        const matches = SRUN_OPTIONS.filter((o) => o.name.startsWith(x));
        const option = exact ?? (matches.length === 1 ? matches[0] : undefined);
        if (option) spellings.set(x, option.arg !== 1);
      }
    }
    const words = [...spellings.keys()];
    const script = `for x;do [[ $x == ${SRUN_LONG_FLAGS} ]]&&echo "$x flag"||echo "$x valued";done`;
    const out = run(["bash", "--norc", "-c", script, "bash", ...words], { PATH: "/usr/bin:/bin" });
    expect(out.stderr).toBe("");
    expect(out.stdout.split("\n").filter(Boolean)).toEqual(
      words.map((x) => `${x} ${spellings.get(x) ? "flag" : "valued"}`),
    );
    expect(words.length).toBeGreaterThan(800); // the table is all there
  });

  it("runs the word after a value-less long option as the command (srun --overlap echo hi)", () => {
    for (const flag of [
      "--overlap",
      "--hold",
      "--preserve-env",
      "--exclusive",
      "--unbuffered",
      "--kill-on-bad-exit",
      "--no-kill",
      "--immediate",
      "--contiguous",
      "--container-mount-home",
      "--bcast",
    ]) {
      const r = run(["srun", flag, "echo", "hi"], nodeEnv(0, 1));
      expect(r.status, flag).toBe(0);
      expect(r.stdout, flag).toBe("hi\n");
    }
    expect(run(["srun", "--label", "echo", "hi"], nodeEnv(0, 1)).stdout).toBe("0: hi\n");
    const r = run(["srun", "--hold", "--preserve-env", "-n2", "--test-only", "echo", "hi"], nodeEnv(0, 1));
    expect(r.stdout).toBe("hi\nhi\n");
    expect(r.stderr).toBe(
      "srun (flow): ignoring --hold\nsrun (flow): ignoring --preserve-env\nsrun (flow): ignoring --test-only\n",
    );
  });

  it("reads an unknown option like the flags it starts like, and otherwise as having a value", () => {
    const env = nodeEnv(0, 1);
    const typo = run(["srun", "--preserve-enviroment", "echo", "hi"], env);
    expect(typo).toEqual({
      status: 0,
      stdout: "hi\n",
      stderr: "srun (flow): ignoring --preserve-enviroment\n",
    });
    const unknown = run(["srun", "--frobnicate", "x", "echo", "hi"], env);
    expect(unknown).toEqual({ status: 0, stdout: "hi\n", stderr: "srun (flow): ignoring --frobnicate x\n" });
  });

  it("reads abbreviations as getopt_long does: a flag's, not a valued option's", () => {
    const env = nodeEnv(0, 1);
    // --pres is only --preserve-env, --ov only flags (overcommit, overlap, oversubscribe).
    expect(run(["srun", "--pres", "echo", "hi"], env).stdout).toBe("hi\n");
    expect(run(["srun", "--ov", "echo", "hi"], env)).toEqual({ status: 0, stdout: "hi\n", stderr: "" });
    expect(run(["srun", "--lab", "echo", "hi"], env).stdout).toBe("0: hi\n");
    // --exclu also starts --exclude, which takes a value; --bcast exactly is the flag, but
    // --bcast-exclude takes a value and --container is an option of its own with one.
    const valued = run(
      ["srun", "--exclu", "x", "--bcast-exclude", "y", "--container", "z", "echo", "hi"],
      env,
    );
    expect(valued.stdout).toBe("hi\n");
    expect(valued.stderr).toBe(
      "srun (flow): ignoring --exclu x\nsrun (flow): ignoring --bcast-exclude y\nsrun (flow): ignoring --container z\n",
    );
  });

  it("takes a required value from the next word, and any value written with =", () => {
    const env = nodeEnv(0, 1);
    const next = run(
      ["srun", "--output", "f.out", "--nodelist", "node0", "--ntasks", "2", "echo", "hi"],
      env,
    );
    expect(next.stdout).toBe("hi\nhi\n");
    expect(next.stderr).toBe(
      "srun (flow): ignoring --output f.out\nsrun (flow): ignoring --nodelist node0\n",
    );
    const attached = run(
      ["srun", "--exclusive=user", "--kill-on-bad-exit=1", "--hold=x", "--ntasks=2", "echo", "hi"],
      env,
    );
    expect(attached.stdout).toBe("hi\nhi\n");
    expect(attached.stderr).toBe("srun (flow): ignoring --hold x\n");
  });

  it("leaves the next word alone after a bare short option whose value is optional (-I, -K, -k)", () => {
    const r = run(["srun", "-I", "-K", "-k", "echo", "hi"], nodeEnv(0, 1));
    expect(r).toEqual({ status: 0, stdout: "hi\n", stderr: "srun (flow): ignoring -I\n" });
    expect(run(["srun", "-I5", "-K1", "echo", "hi"], nodeEnv(0, 1)).stderr).toBe(
      "srun (flow): ignoring -I 5\n",
    );
  });

  it("reads every option of srun's table with the value srun gives it", () => {
    // One bash run, each option in full, a value after it when it requires one: the task prints
    // `ok` only when the shim took exactly that value (a word too many or too few runs a command
    // that does not exist).
    const lines = SRUN_OPTIONS.map((o, k) => {
      const value = o.arg === 1 ? (o.name === "export" ? " ALL" : " 1") : "";
      return `srun --${o.name}${value} sh -c 'echo "ok $0"' ${k} 2>/dev/null || echo "failed ${k}"`;
    });
    const out = run(["bash", "--norc", "-c", lines.join("\n")], nodeEnv(0, 1))
      .stdout.split("\n")
      .filter(Boolean);
    const expected = SRUN_OPTIONS.map((o, k) => (o.name === "label" ? `0: ok ${k}` : `ok ${k}`));
    expect(out.map((l, k) => `${l} (--${SRUN_OPTIONS[k]?.name})`)).toEqual(
      expected.map((l, k) => `${l} (--${SRUN_OPTIONS[k]?.name})`),
    );
  });

  it("honours --tasks-per-node, srun's other spelling, exactly like --ntasks-per-node", () => {
    const last = run(["srun", "-n5", "--tasks-per-node=2", ...REPORT], nodeEnv(2, 3));
    expect(last.stderr).toBe("");
    expect(tasks(last.stdout)).toEqual(["4 0 2"]);
  });

  it("honours unique abbreviations of the options it honours, as srun reads them", () => {
    for (const perNode of [["--tasks", "2"], ["--ntasks-per-n=2"]]) {
      const last = run(["srun", "-n5", ...perNode, ...REPORT], nodeEnv(2, 3));
      expect(last.stderr).toBe("");
      expect(tasks(last.stdout)).toEqual(["4 0 2"]);
    }
    const env = nodeEnv(0, 1, { KEEP: "k", DROP: "d" });
    const out = run(["srun", "--cpus-per-t", "3", "--exp=NONE,KEEP", "/usr/bin/env"], env);
    expect(out.stderr).toBe("");
    expect(out.stdout.split("\n")).toEqual(expect.arrayContaining(["SLURM_CPUS_PER_TASK=3", "KEEP=k"]));
    expect(out.stdout).not.toContain("DROP=");
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
