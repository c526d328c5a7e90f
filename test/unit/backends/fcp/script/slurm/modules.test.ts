/**
 * flow's `module`/`ml` on the instance (slurm/modules.ts): the functions run under bash exactly as
 * a batch script calls them, and linted; then a whole startup script whose batch script and srun
 * tasks use them.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildStartupScript } from "../../../../../../src/backends/fcp/script/assemble.ts";
import { slurmContainerWrapper } from "../../../../../../src/backends/fcp/script/slurm/command-line.ts";
import {
  ML_SUBCOMMAND_WORDS,
  modulesScript,
} from "../../../../../../src/backends/fcp/script/slurm/modules.ts";
import { ML_SUBCOMMANDS } from "../../../../../../src/frontends/slurm/body/modules.ts";
import type { TaskConfig } from "../../../../../../src/ir/task-config.ts";
import { runScript, shellcheck } from "../../../../../helpers/shell.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const MAP = {
  "cuda/12.1": 'export CUDA_HOME=/opt/cuda-12.1; echo "cuda setup ran" >>"$LOG"',
  "gcc/11": "",
  "it's/1": 'echo "quoted \'setup\'" >>"$LOG"\ncat <<X\nFLOW_EOF\nX',
  broken: "false",
};

/** Runs `body` in bash after sourcing the functions for `modules`; `LOG` collects setup output. */
function run(body: string, modules: Record<string, string> = MAP) {
  const dir = mkdtempSync(join(tmpdir(), "flow-modules-"));
  dirs.push(dir);
  writeFileSync(join(dir, "modules.sh"), modulesScript(modules));
  const log = join(dir, "log");
  writeFileSync(log, "");
  const result = spawnSync("/bin/bash", ["-c", `. "${dir}/modules.sh"\n${body}`], {
    env: { PATH: "/usr/bin:/bin", LOG: log, HOME: dir },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    log: readFileSync(log, "utf8"),
  };
}

describe("flow's module and ml functions", () => {
  it("pass shellcheck", () => {
    shellcheck(`#!/bin/bash\n${modulesScript(MAP)}\n`);
    shellcheck(`#!/bin/bash\n${modulesScript({})}\n`);
  });

  it("load a provided module by running its setup step in the caller's shell, once", () => {
    const r = run('set -eu\nmodule load cuda/12.1\nmodule load cuda/12.1\necho "$CUDA_HOME $FLOW_MODULES"');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("/opt/cuda-12.1 cuda/12.1\n");
    expect(r.log).toBe("cuda setup ran\n");
  });

  it("a module with no setup step (an image provides it) loads as nothing, and counts as loaded", () => {
    const r = run('set -eu\nmodule add gcc/11\necho "$FLOW_MODULES"');
    expect(r).toMatchObject({ status: 0, stdout: "gcc/11\n", stderr: "" });
  });

  it("a module the map does not provide fails with one line and status 1: fatal under set -e, as on a cluster", () => {
    const r = run('module load cuda/12.1 nccl/2.18 || echo "status $?"\necho "$FLOW_MODULES"');
    expect(r.stdout).toBe("status 1\ncuda/12.1\n");
    expect(r.stderr).toBe(
      "module (flow): nccl/2.18: no such module on the instance (flow's --module-map can provide it)\n",
    );
    const strict = run("set -e\nmodule load nccl/2.18\necho not reached");
    expect(strict.status).toBe(1);
    expect(strict.stdout).toBe("");
  });

  it("a failing setup step fails the load and leaves the module unloaded", () => {
    const r = run(`module load broken || echo "status $?"\necho "[\${FLOW_MODULES-}]"`);
    expect(r.stdout).toBe("status 1\n[]\n");
  });

  it("try-load, try-add and load-any go on past a missing module", () => {
    const r = run(
      'set -e\nmodule try-load nccl/2.18 cuda/12.1\nmodule try-add x\nmodule load-any y gcc/11\necho "$FLOW_MODULES"',
    );
    expect(r).toMatchObject({ status: 0, stdout: "cuda/12.1:gcc/11\n", stderr: "" });
  });

  it("every other subcommand, and options before it, does nothing with status 0", () => {
    const body = [
      "set -eu",
      "module purge",
      "module --force purge",
      "module -q list",
      "module use /opt/modules",
      "module unload cuda",
      "module avail",
      "module",
      "echo ok",
    ].join("\n");
    expect(run(body)).toMatchObject({ status: 0, stdout: "ok\n", stderr: "" });
  });

  it("swap and switch load the new module", () => {
    const r = run('set -e\nmodule swap gcc/9 gcc/11\nmodule switch cuda/12.1\necho "$FLOW_MODULES"');
    expect(r).toMatchObject({ status: 0, stdout: "gcc/11:cuda/12.1\n" });
  });

  it("ml NAME loads, ml alone and ml -NAME and ml SUBCOMMAND are module's", () => {
    const r = run(
      'set -eu\nml cuda/12.1 gcc/11\nml\nml -gcc\nml purge\nml list\nml av\necho "$FLOW_MODULES"',
    );
    expect(r).toMatchObject({ status: 0, stdout: "cuda/12.1:gcc/11\n", stderr: "" });
    expect(run("ml nccl").status).toBe(1);
    // an unload word first, then a load: the load happens, as the compile-time analysis reads it
    expect(run('set -e\nml -gcc cuda/12.1\necho "$FLOW_MODULES"')).toMatchObject({
      status: 0,
      stdout: "cuda/12.1\n",
    });
  });

  it("ml loads a module whose name begins like a subcommand (avogadro, saved, is-x, try-y)", () => {
    const modules = {
      "avogadro/1.2": "export AVO=1",
      saved: "",
      "is-x": "",
      "try-y": "",
      "switch-on": "",
    };
    const r = run(
      'set -eu\nml avogadro/1.2\nml saved\nml is-x\nml try-y\nml switch-on\necho "$AVO $FLOW_MODULES"',
      modules,
    );
    expect(r).toMatchObject({
      status: 0,
      stdout: "1 avogadro/1.2:saved:is-x:try-y:switch-on\n",
      stderr: "",
    });
    // the subcommands themselves, exactly, are still module's
    const sub = run(
      "set -eu\nml av\nml avail\nml save\nml savelist\nml is-loaded x\nml try-load x\necho ok",
      {},
    );
    expect(sub).toMatchObject({ status: 0, stdout: "ok\n", stderr: "" });
  });

  it("knows exactly the ml subcommands the body analysis knows (contract with body/modules.ts)", () => {
    expect([...ML_SUBCOMMAND_WORDS].sort()).toEqual([...ML_SUBCOMMANDS].sort());
  });

  it("the already-loaded check compares names, not glob patterns", () => {
    const after = run("module load cuda/12.1\nmodule load 'cuda/*'\necho \"status $? $FLOW_MODULES\"");
    expect(after.stdout).toBe("status 1 cuda/12.1\n");
    expect(after.stderr).toContain("cuda/*: no such module");
    const fresh = run(`module load '*'\necho "status $? [\${FLOW_MODULES-}]"`);
    expect(fresh.stdout).toBe("status 1 []\n");
    expect(fresh.stderr).toContain("*: no such module");
  });

  it("a setup step's own variables do not clobber the function's (loops, r=0)", () => {
    const modules = {
      first: "for m in a b; do :; done; r=0; c=x; t=1",
      second: "for m in x; do :; done",
    };
    const r = run(`module load nccl first second || echo "status $?"\necho "[\${FLOW_MODULES-}]"`, modules);
    expect(r.stdout).toBe("status 1\n[first:second]\n");
    expect(r.stderr).toBe(
      "module (flow): nccl: no such module on the instance (flow's --module-map can provide it)\n",
    );
  });

  it("try-load goes on past a missing module but reports a failing setup step (status 1)", () => {
    const r = run(`module try-load nccl broken gcc/11 || echo "status $?"\necho "[\${FLOW_MODULES-}]"`);
    expect(r.stdout).toBe("status 1\n[gcc/11]\n");
    expect(r.stderr).toBe("");
  });

  it("module names and setup steps are data: quotes, globs and the here-document delimiter stay inert", () => {
    const r = run('set -e\nmodule load "it\'s/1"\necho "$FLOW_MODULES"');
    expect(r.status, r.stderr).toBe(0);
    expect(r.log).toBe("quoted 'setup'\n");
    expect(r.stdout).toBe("FLOW_EOF\nit's/1\n");
    // a glob-like request matches no module by pattern: the arms are literal names
    expect(run("module load 'cuda/*'").status).toBe(1);
  });

  it("a loaded module is inherited: a child bash that loads it again does not run its setup again", () => {
    const r = run(
      "export -f module ml\nmodule load cuda/12.1\nbash -c 'module load cuda/12.1; echo \"$CUDA_HOME\"'",
    );
    expect(r.stdout).toBe("/opt/cuda-12.1\n");
    expect(r.log).toBe("cuda setup ran\n");
  });
});

describe("in a startup script", () => {
  const script = `#!/bin/bash
set -euo pipefail
module purge
module load cuda/12.1
srun bash -c 'module load gcc/11; echo "task $SLURM_PROCID: $CUDA_HOME $FLOW_MODULES"'
bash -l -c 'type -t module'
module load nccl || echo "nccl: $?"
`;
  const task: TaskConfig = {
    name: "mods",
    script,
    working_dir: "/tmp",
    upload_code: false,
    slurm: {
      job_name: "mods",
      ntasks: 2,
      modules: { "cuda/12.1": "export CUDA_HOME=/opt/cuda", "gcc/11": "" },
    },
  };

  it("the batch script, its srun tasks and a login shell all have module", () => {
    const root = mkdtempSync(join(tmpdir(), "flow-modules-run-"));
    dirs.push(root);
    const logs = join(root, "logs");
    const bin = join(root, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "shutdown"), "#!/bin/sh\n", { mode: 0o755 });
    const { text } = buildStartupScript(task);
    expect(text).toBeDefined();
    shellcheck(text!);
    const r = runScript(text!, {
      PATH: `${bin}:/usr/bin:/bin`,
      FLOW_LOG_DIR: logs,
      FLOW_HOSTNAME: "n0",
      HOME: root,
    });
    const log = readFileSync(join(logs, "task.log"), "utf8");
    expect(r.status, log).toBe(0);
    expect(log).toContain("task 0: /opt/cuda cuda/12.1:gcc/11\n");
    expect(log).toContain("task 1: /opt/cuda cuda/12.1:gcc/11\n");
    expect(log).toContain("function\n");
    expect(log).toContain("module (flow): nccl: no such module on the instance");
    expect(log).toContain("nccl: 1\n");
  });

  it("the modules section writes the functions with builtins only: the task's PATH may have no cat", () => {
    const root = mkdtempSync(join(tmpdir(), "flow-modules-path-"));
    dirs.push(root);
    const logs = join(root, "logs");
    const bin = join(root, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "shutdown"), "#!/bin/sh\n", { mode: 0o755 });
    const bare: TaskConfig = {
      ...task,
      script: '#!/bin/bash\nmodule load cuda/12.1\necho "cuda $CUDA_HOME"\n',
      env: { PATH: join(root, "nothing") },
    };
    const { text, sections } = buildStartupScript(bare);
    expect(sections.map((s) => s.name).slice(-3)).toEqual(["slurm", "modules", "run"]);
    const r = runScript(text!, {
      PATH: `${bin}:/usr/bin:/bin`,
      FLOW_LOG_DIR: logs,
      FLOW_HOSTNAME: "n0",
      HOME: root,
    });
    const log = readFileSync(join(logs, "task.log"), "utf8");
    expect(r.status, log).toBe(0);
    expect(log).toContain("cuda /opt/cuda\n");
    expect(readFileSync(join(logs, "slurm", "modules.sh"), "utf8")).toBe(
      `${modulesScript(task.slurm!.modules!)}\n`,
    );
  });

  it("without module commands no functions are written", () => {
    const { slurm: _, ...rest } = task;
    const plain = buildStartupScript({ ...rest, slurm: { job_name: "mods" } });
    expect(plain.text).not.toContain("module()");
    expect(buildStartupScript(task).text).toContain("export -f module ml");
  });

  it("in a container, the wrapper points BASH_ENV at the mounted functions", () => {
    expect(slurmContainerWrapper({ modules: {} }).join(" ")).toContain(
      "BASH_ENV=/flow-slurm/modules.sh; export BASH_ENV",
    );
    expect(slurmContainerWrapper({}).join(" ")).not.toContain("BASH_ENV");
  });
});
