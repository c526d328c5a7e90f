/**
 * submitit jobs run: the compiled startup script, run under bash as a single node would run it,
 * starts `tasks_per_node` copies of the command through the srun shim, each with its rank and
 * SUBMITIT_EXECUTOR=slurm, after the setup lines; array tasks get their own `map_array` element;
 * the batch output lands in submitit's log file.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { compile } from "../../../../src/compile.ts";
import { runScript } from "../../../helpers/shell.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Compiles the document and runs the startup script of array task `index` in a fresh directory. */
function run(doc: (dir: string) => object, index = 0) {
  const dir = mkdtempSync(join(tmpdir(), "flow-submitit-run-"));
  dirs.push(dir);
  const result = compile(JSON.stringify(doc(dir)), { filename: "params.json" });
  expect(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === "error"))).toBe(true);
  const script = result.startupScripts[index]!.text;
  const env = {
    PATH: "/usr/bin:/bin",
    FLOW_LOG_DIR: join(dir, "flow"),
    FLOW_HOSTNAME: "n0",
    TMPDIR: dir,
    LC_ALL: "C.UTF-8",
  };
  const out = runScript(script, env, 20_000);
  const read = (name: string) =>
    existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : undefined;
  return { dir, out, read };
}

// The signal comes 298 s into a 5-minute limit: the shim's signal timer ends within seconds after
// the tasks (it outlives them until then, holding the output).
const parameters = { timeout_min: 5, gpus_per_node: 1, slurm_signal_delay_s: 298 };
const REPORT =
  'echo "rank=$SLURM_PROCID/$SLURM_NTASKS local=$SLURM_LOCALID exec=$SUBMITIT_EXECUTOR args=$*" > "out-$SLURM_PROCID"';

describe("running a compiled submitit job (one node)", () => {
  test("srun starts tasks_per_node copies with their ranks, after the setup lines", () => {
    const { out, read, dir } = run((d) => ({
      folder: join(d, "logs/%j"),
      cwd: d,
      parameters: { ...parameters, tasks_per_node: 2, slurm_setup: ["echo setup-ran > setup.txt"] },
      command: ["bash", "-c", REPORT, "bash"],
      args: ["--lr", "0.1"],
    }));
    expect(out.status).toBe(0);
    expect(read("setup.txt")).toBe("setup-ran\n");
    expect(read("out-0")).toBe("rank=0/2 local=0 exec=slurm args=--lr 0.1\n");
    expect(read("out-1")).toBe("rank=1/2 local=1 exec=slurm args=--lr 0.1\n");
    const [job] = readdirSync(join(dir, "logs"));
    expect(readdirSync(join(dir, "logs", job!)).sort()).toEqual([`${job}_0_log.err`, `${job}_0_log.out`]);
  });

  test("a script runs once per task, with the args", () => {
    const { out, read } = run((d) => ({
      cwd: d,
      folder: join(d, "logs"),
      parameters,
      script: `#!/bin/bash\n${REPORT}\n`,
      args: ["a b"],
    }));
    expect(out.status).toBe(0);
    expect(read("out-0")).toBe("rank=0/1 local=0 exec=slurm args=a b\n");
  });

  test("each array task runs with its own map_array element", () => {
    const doc = (d: string) => ({
      cwd: d,
      folder: join(d, "logs/%j"),
      parameters,
      command: ["bash", "-c", REPORT, "bash", "--fixed"],
      map_array: [
        ["--seed", "0"],
        ["--seed", "it's 1"],
      ],
    });
    expect(run(doc, 0).read("out-0")).toBe("rank=0/1 local=0 exec=slurm args=--fixed --seed 0\n");
    expect(run(doc, 1).read("out-0")).toBe("rank=0/1 local=0 exec=slurm args=--fixed --seed it's 1\n");
  });
});
