/**
 * The emulation sets exactly the SLURM environment that `ir/slurm-environment.ts` lists — the list
 * the body analysis trusts when it decides which variables to warn about.
 */
import { describe, expect, test } from "vitest";
import { buildStartupScript } from "../../../../../../src/backends/fcp/script/assemble.ts";
import { SHIM_PROGRAM } from "../../../../../../src/backends/fcp/script/slurm/shim.ts";
import { EMULATED_SLURM_VARIABLES, SRUN_TASK_VARIABLES } from "../../../../../../src/ir/slurm-environment.ts";
import type { TaskConfig } from "../../../../../../src/ir/task-config.ts";

const RICH: TaskConfig = {
  name: "t",
  instance_type: "8xa100",
  num_instances: 2,
  script: "#!/bin/bash\necho\n",
  upload_code: false,
  array: { task_ids: [0, 1] },
  slurm: {
    job_name: "t",
    ntasks: 4,
    ntasks_per_node: 2,
    cpus_per_task: 4,
    gpus_per_node: 8,
    mem_per_node_mb: 1000,
    time_limit_minutes: 60,
    partition: "p",
    output: "o",
    error: "e",
    open_mode: "append",
    dependency: "afterok:1",
    export_env: "NONE",
    signal: { name: "USR1", seconds_before: 60 },
  },
};

describe("the SLURM environment contract", () => {
  test("the slurm section and srun shim set exactly the listed variables", () => {
    const text = buildStartupScript(RICH, {
      arrayTaskId: 0,
      instance: { cpus: 96, gpus: 8, memoryMb: 1000 },
    }).text;
    expect(text).toBeDefined();
    const named = new Set(
      [...`${text}\n${SHIM_PROGRAM}`.matchAll(/\b(SLURMD?_[A-Z_]+|ENVIRONMENT)\b/g)].map((m) => m[1]!),
    );
    const listed = new Set([...EMULATED_SLURM_VARIABLES, ...SRUN_TASK_VARIABLES]);
    expect([...named].filter((v) => !listed.has(v)).sort()).toEqual([]);
    expect([...listed].filter((v) => !named.has(v)).sort()).toEqual([]);
  });
});
