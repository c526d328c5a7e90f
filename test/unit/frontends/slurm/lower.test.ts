/** The SLURM lowering: §6.1 rules that need values, directive fates, and small fate details. */
import { describe, expect, test } from "vitest";
import { lowerSlurm } from "../../../../src/frontends/slurm/lower.ts";
import { createSourceFile } from "../../../../src/source/source-file.ts";

const SH = "#!/bin/bash\n";

function lower(directives: string, env: Record<string, string> = {}) {
  const file = createSourceFile("job.sbatch", `${SH}${directives}#SBATCH --gres=gpu:1\necho run\n`);
  const result = lowerSlurm(file, { env });
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
  const fate = (line: number) =>
    result.fates.filter((f) => f.line === line).map((f) => `${f.fate}: ${f.detail}`);
  return { result, errors, fate, ok: result.value !== undefined };
}

describe("spec §6.1: the rules that look at values are fatal, as in sbatch", () => {
  test("--ntasks-per-gpu and --ntasks-per-tres with different values (equal ones are fine)", () => {
    const bad = lower("#SBATCH --ntasks-per-gpu=2\n#SBATCH --ntasks-per-tres=4\n");
    expect(bad.errors).toEqual(["SBATCH029"]);
    expect(bad.fate(3)).toEqual(["invalid: conflicts with --ntasks-per-gpu"]);
    expect(lower("#SBATCH --ntasks-per-gpu=2\n#SBATCH --ntasks-per-tres=2\n").errors).toEqual([]);
  });

  test("--ntasks-per-gpu with --gpus-per-socket or --tres-per-task", () => {
    expect(lower("#SBATCH --ntasks-per-gpu=2\n#SBATCH --gpus-per-socket=1\n").errors).toEqual(["SBATCH029"]);
    expect(lower("#SBATCH --ntasks-per-gpu=2\n#SBATCH --tres-per-task=gres/gpu=1\n").errors).toEqual([
      "SBATCH029",
    ]);
  });

  test("--tres-per-task naming mem (or energy, node, billing, fs, vmem, pages, bb)", () => {
    const bad = lower("#SBATCH --tres-per-task=mem=4G\n");
    expect(bad.errors).toEqual(["SBATCH022"]);
    expect(bad.fate(2)).toEqual(["invalid: mem per task"]);
    expect(lower("#SBATCH --tres-per-task=cpu=2,bb=1\n").errors).toEqual(["SBATCH022"]);
    expect(lower("#SBATCH --tres-per-task=gres/gpu:a100=1\n").errors).toEqual([]);
  });

  test("--tres-per-task=cpu=N with --cpus-per-task or --cpus-per-gpu", () => {
    expect(lower("#SBATCH --tres-per-task=cpu=4\n#SBATCH -c 4\n").errors).toEqual(["SBATCH029"]);
    expect(lower("#SBATCH --tres-per-task=cpu=4\n#SBATCH --cpus-per-gpu=4\n").errors).toEqual(["SBATCH029"]);
    expect(lower("#SBATCH --tres-per-task=gres/gpu=1\n#SBATCH -c 4\n").errors).toEqual([]);
  });

  test("--begin later than --deadline, when both can be compared without a clock", () => {
    expect(lower("#SBATCH --begin=2027-02-01\n#SBATCH --deadline=2027-01-01\n").errors).toEqual([
      "SBATCH029",
    ]);
    expect(lower("#SBATCH --begin=now+2hours\n#SBATCH --deadline=now+1hour\n").errors).toEqual(["SBATCH029"]);
    expect(lower("#SBATCH --begin=2027-01-01\n#SBATCH --deadline=2027-02-01\n").errors).toEqual([]);
    expect(lower("#SBATCH --begin=tomorrow\n#SBATCH --deadline=2027-01-01\n").errors).toEqual([]);
  });

  test("--distribution=arbitrary (or hostfile) with an explicit --nodes", () => {
    expect(lower("#SBATCH --distribution=arbitrary\n#SBATCH -N 2\n").errors).toEqual(["SBATCH029"]);
    expect(lower("#SBATCH -m hostfile\n#SBATCH -N 2\n").errors).toEqual(["SBATCH029"]);
    expect(lower("#SBATCH --distribution=cyclic\n#SBATCH -N 2\n").errors).toEqual([]);
  });

  test("--segment that does not divide the node count", () => {
    expect(lower("#SBATCH --segment=2\n#SBATCH -N 3\n").errors).toEqual(["SBATCH029"]);
    expect(lower("#SBATCH --segment=2\n#SBATCH -N 2-5\n").errors).toEqual(["SBATCH029"]);
    expect(lower("#SBATCH --segment=2\n#SBATCH -N 4\n").errors).toEqual([]);
  });

  test("an environment value is not explicit: it does not conflict", () => {
    expect(lower("#SBATCH -c 4\n", { SBATCH_TRES_PER_TASK: "cpu=4" }).errors).toEqual([]);
  });
});

describe("spec §5.5: small grammars of ignored options are still validated", () => {
  test.each([
    "--kill-on-invalid-dep=maybe",
    "--wait-all-nodes=2",
    "--oom-kill-step=2",
    "--no-kill=maybe",
    "--requeue=now",
    "--priority=high",
    "--segment=70000",
  ])("%s is fatal", (option) => {
    expect(lower(`#SBATCH ${option}\n`).errors).toEqual(["SBATCH022"]);
  });

  test.each([
    "--kill-on-invalid-dep=YES",
    "--wait-all-nodes=1",
    "--oom-kill-step",
    "-koff",
    "--requeue=expedite",
    "--priority=TOP",
  ])("%s is fine", (option) => {
    expect(lower(`#SBATCH ${option}\n`).errors).toEqual([]);
  });
});

describe("spec §8.6: GPUs from --ntasks-per-gpu (rule 5)", () => {
  test("-n 8 --ntasks-per-gpu=2 is 4 GPUs; over 2 nodes, 2 per node", () => {
    const one = lowerSlurm(
      createSourceFile("job.sbatch", `${SH}#SBATCH -n 8\n#SBATCH --ntasks-per-gpu=2\necho\n`),
      {},
    );
    expect(one.value?.instance_type).toBe("4xa100");
    expect(one.diagnostics.map((d) => d.code)).not.toContain("SBATCH027");
    const two = lowerSlurm(
      createSourceFile("job.sbatch", `${SH}#SBATCH -n 8 -N 2\n#SBATCH --ntasks-per-gpu=2\necho\n`),
      {},
    );
    expect(two.value?.instance_type).toBe("2xa100");
  });

  test("an explicit GPU option decides first", () => {
    const r = lowerSlurm(
      createSourceFile(
        "job.sbatch",
        `${SH}#SBATCH -n 8\n#SBATCH --ntasks-per-gpu=2\n#SBATCH --gpus=8\necho\n`,
      ),
      {},
    );
    expect(r.value?.instance_type).toBe("8xa100");
  });
});

describe("spec §8.11, §12 case 45: --signal without B: reaches srun steps only", () => {
  const codes = (body: string, signal: string) =>
    lowerSlurm(createSourceFile("job.sbatch", `${SH}#SBATCH --signal=${signal}\n#SBATCH -t 60\n${body}`), {})
      .diagnostics.filter((d) => d.code === "SBATCH023")
      .map((d) => d.message);

  test("a script without srun is told that nothing receives the signal", () => {
    expect(codes("python train.py\n", "USR2")).toEqual([
      "`--signal=USR2` signals srun-launched tasks only, and this script starts none: nothing receives SIGUSR2 (as in SLURM)",
    ]);
  });

  test("not with srun, and not with B:", () => {
    expect(codes("srun python train.py\n", "USR2")).toEqual([]);
    expect(codes("python train.py\n", "B:USR2")).toEqual([]);
  });
});

describe("spec §8.5: the numeric-type trap", () => {
  test("--gres=gpu:3090 is 3090 GPUs: an error, and an info at the value says how to ask for one GPU of type 3090", () => {
    const file = createSourceFile("job.sbatch", `${SH}#SBATCH --gres=gpu:3090\necho\n`);
    const { diagnostics } = lowerSlurm(file, {});
    const error = diagnostics.find((x) => x.code === "SBATCH026");
    const reading = diagnostics.find((x) => x.code === "SBATCH037");
    expect(error?.message).toBe("3090 GPUs per node: cloud nodes have at most 8");
    expect(reading?.message).toBe(
      "--gres=gpu:3090: `gpu:3090` asks for 3090 GPUs; if `3090` is a GPU type, write `gpu:3090:1`",
    );
    expect(reading?.span).toEqual(error?.span);
  });
});

describe("SBATCH037: how sbatch reads an accepted value", () => {
  test("each note of a value parser is reported once, at the value", () => {
    const file = createSourceFile("job.sbatch", `${SH}#SBATCH -t 1:30 --mem=1500K\necho\n`);
    const notes = lowerSlurm(file, {}).diagnostics.filter((x) => x.code === "SBATCH037");
    expect(notes.map((d) => [d.message, file.text.slice(d.span!.start, d.span!.end)])).toEqual([
      ["-t 1:30: `1:30` is minutes:seconds (1 min 30 s); for 1 h 30 min write `1:30:00`", "1:30"],
      ["--mem=1500K: sbatch rounds 1500K up to whole MB: 2 MB", "1500K"],
    ]);
    expect(notes.every((d) => d.severity === "info")).toBe(true);
  });

  test("a plain value gets no note", () => {
    const file = createSourceFile(
      "job.sbatch",
      `${SH}#SBATCH -t 1:30:00 --mem=16G --gres=gpu:a100:2\necho\n`,
    );
    expect(lowerSlurm(file, {}).diagnostics.filter((x) => x.code === "SBATCH037")).toEqual([]);
  });
});

describe("directive fates", () => {
  test("an empty #SBATCH line has nothing to apply (no error happened)", () => {
    expect(lower("#SBATCH\n").fate(2)).toEqual([
      "ignored: no option on this line: sbatch finds nothing to apply",
    ]);
  });

  test("a line holding the value of an option named on the line above shares its fate (spec §3.4)", () => {
    const { fate } = lower("#SBATCH --time\n#SBATCH 2:00:00\n");
    expect(fate(2)).toEqual(["mapped: max_run_time_hours 2"]);
    expect(fate(3)).toEqual(["mapped: the value of --time on line 2"]);
  });

  test("after a stray word, later directive lines are not read", () => {
    const file = createSourceFile("job.sbatch", `${SH}#SBATCH --job-name=my job\n#SBATCH -N 2\necho\n`);
    expect(lowerSlurm(file, {}).fates.find((f) => f.line === 3)).toMatchObject({
      fate: "not-read",
      detail: "not applied: option parsing stopped at an earlier error",
    });
  });

  test("lines of a later heterogeneous component say so", () => {
    const file = createSourceFile("job.sbatch", `${SH}#SBATCH -N 1\n#SBATCH hetjob\n#SBATCH -N 2\necho\n`);
    expect(lowerSlurm(file, {}).fates.find((f) => f.line === 4)).toMatchObject({
      fate: "not-read",
      detail: "not applied: it belongs to a later heterogeneous job component, which flow does not compile",
    });
  });

  test("--ignore-pbs is honoured, not ignored", () => {
    const { fate, result } = lower("#SBATCH --ignore-pbs\n#PBS -l walltime=1:00:00\n");
    expect(fate(2)).toEqual(["mapped: #PBS/#BSUB lines are not translated (flow never applies them)"]);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("SBATCH020");
    expect(result.diagnostics.map((d) => d.code)).not.toContain("SBATCH017");
  });

  test("--exclusive and --no-requeue are honoured by the cloud itself: mapped, no warning for --strict to refuse", () => {
    for (const written of ["--exclusive", "--exclusive=user", "--exclusive=MCS", "--no-requeue"]) {
      const { fate, result } = lower(`#SBATCH ${written}\n`);
      expect(fate(2)[0], written).toMatch(/^mapped: /);
      expect(
        result.diagnostics.map((d) => d.code),
        written,
      ).not.toContain("SBATCH020");
    }
    expect(lower("#SBATCH --exclusive\n").fate(2)).toEqual([
      "mapped: the instance is the job's alone (cloud instances are never shared)",
    ]);
    // what the cloud does not promise stays a warning, and a value sbatch refuses stays an error
    const topo = lower("#SBATCH --exclusive=topo\n");
    expect(topo.fate(2)[0]).toMatch(/^ignored: .*topology/);
    expect(topo.result.diagnostics.map((d) => d.code)).toContain("SBATCH020");
    for (const mode of ["allocation", "oversubscribe"])
      expect(lower(`#SBATCH --exclusive=${mode}\n`).fate(2)[0], mode).toMatch(/^ignored: /);
    expect(lower("#SBATCH --exclusive=nodes\n").errors).toEqual(["SBATCH022"]);
    const requeue = lower("#SBATCH --requeue\n");
    expect(requeue.fate(2)[0]).toMatch(/^ignored: /);
  });

  test("a job name holding a template placeholder is invalid, not mapped", () => {
    expect(lower("#SBATCH --job-name=$USER-train\n").fate(2)).toEqual(["invalid: template placeholder"]);
  });

  test("a directive overridden by an SBATCH_* variable says so", () => {
    expect(lower("#SBATCH -t 60\n", { SBATCH_TIMELIMIT: "30" }).fate(2)).toEqual([
      "overridden: SBATCH_TIMELIMIT from the environment wins",
    ]);
  });

  test("options sbatch ignores inside a script (spec §5.6) have a fate", () => {
    expect(lower("#SBATCH --verbose -Q\n").result.fates.filter((f) => f.line === 2)).toMatchObject([
      { text: "--verbose", option: "verbose", fate: "ignored" },
      { text: "-Q", option: "quiet", fate: "ignored" },
    ]);
  });

  test("--error=none discards stderr", () => {
    expect(lower("#SBATCH --error=none\n").fate(2)).toEqual(["emulated: stderr discarded (/dev/null)"]);
  });
});

describe("spec §8.10: --dependency without an orchestrator", () => {
  const text = `${SH}#SBATCH --dependency=afterok:4411 --gres=gpu:1\necho\n`;

  test("is an error by default: nothing would wait for the other jobs", () => {
    const out = lowerSlurm(createSourceFile("job.sbatch", text), {});
    expect(out.value).toBeUndefined();
    const d = out.diagnostics.find((x) => x.code === "SBATCH021");
    expect(d?.severity).toBe("error");
    expect(d?.message).toContain("`--dependency=afterok:4411` cannot be honoured");
    expect(out.fates.find((f) => f.option === "dependency")?.fate).toBe("unsupported");
  });

  test("with ignoreDependencies it runs without waiting, warned, and SLURM_JOB_DEPENDENCY keeps the value", () => {
    const out = lowerSlurm(createSourceFile("job.sbatch", text), { ignoreDependencies: true });
    expect(out.value?.slurm?.dependency).toBe("afterok:4411");
    expect(out.diagnostics.filter((x) => x.code === "SBATCH020").map((x) => x.severity)).toEqual(["warning"]);
    expect(out.fates.find((f) => f.option === "dependency")?.fate).toBe("ignored");
  });
});

describe("--tres-per-task (spec §8.6): cpu=N is --cpus-per-task, gres/gpu is --gpus-per-task", () => {
  function tres(directives: string, env: Record<string, string> = {}) {
    const file = createSourceFile("job.sbatch", `${SH}${directives}srun python run.py\n`);
    const result = lowerSlurm(file, { env });
    const warnings = result.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code);
    const fates = result.fates.map((f) => `${f.option} ${f.fate}: ${f.detail}`);
    return { ir: result.value, warnings, fates };
  }

  test("GPUs per task × tasks per node choose the instance; cpu= sets the CPUs per task", () => {
    const r = tres("#SBATCH --ntasks-per-node=2\n#SBATCH --tres-per-task=gres/gpu:h100=4,cpu=6\n");
    expect(r.ir?.instance_type).toBe("8xh100");
    expect(r.ir?.min_cpus_per_node).toBe(12);
    expect(r.ir?.slurm?.cpus_per_task).toBe(6);
    expect(r.fates).toContain("tres-per-task mapped: SLURM_CPUS_PER_TASK=6; instance_type 8xh100");
  });

  test("both explicit with --gpus-per-task is refused, as sbatch refuses it", () => {
    const r = tres("#SBATCH -n 2\n#SBATCH --tres-per-task=gres/gpu:h100=2\n#SBATCH --gpus-per-task=1\n");
    expect(r.ir).toBeUndefined();
    expect(r.warnings).toContain("SBATCH029");
  });

  test("an explicit option beats the same request from SBATCH_TRES_PER_TASK", () => {
    const gpus = tres("#SBATCH -n 2\n#SBATCH --gpus-per-task=1\n", {
      SBATCH_TRES_PER_TASK: "gres/gpu:h100=2",
    });
    expect(gpus.ir?.instance_type).toBe("2xa100");
    expect(gpus.fates).toContain("tres-per-task overridden: --gpus-per-task wins");
    const cpus = tres("#SBATCH --cpus-per-gpu=3\n#SBATCH --gres=gpu:1\n", { SBATCH_TRES_PER_TASK: "cpu=4" });
    expect(cpus.ir?.slurm?.cpus_per_task).toBeUndefined();
    expect(cpus.ir?.min_cpus_per_node).toBe(3); // --cpus-per-gpu's 3 × 1 GPU, not cpu=4
    const perTask = tres("#SBATCH -c 2\n#SBATCH --gres=gpu:1\n", { SBATCH_TRES_PER_TASK: "cpu=4" });
    expect(perTask.ir?.slurm?.cpus_per_task).toBe(2);
    expect(perTask.fates).toContain("tres-per-task overridden: -c wins");
  });

  test("a type sbatch refuses per task is an error from the environment too", () => {
    const r = tres("#SBATCH --gres=gpu:1\n", { SBATCH_TRES_PER_TASK: "mem=4G" });
    expect(r.ir).toBeUndefined();
    expect(r.warnings).toEqual(["SBATCH022"]);
  });

  test("items without a cloud meaning: one warning, whether or not something else was used", () => {
    const only = tres("#SBATCH --tres-per-task=license/ansys=1\n#SBATCH --gres=gpu:1\n");
    expect(only.warnings).toEqual(["SBATCH020"]);
    expect(only.fates).toContain(
      "tres-per-task ignored: `license/ansys=1`: only CPUs and GPUs exist on the cloud",
    );
    const mixed = tres("#SBATCH --tres-per-task=cpu=2,license/ansys=1\n#SBATCH --gres=gpu:1\n");
    expect(mixed.warnings).toEqual(["SBATCH020"]);
  });

  test("a bare `gpu=N` is an error suggesting `gres/gpu=N`", () => {
    const file = createSourceFile("job.sbatch", `${SH}#SBATCH --tres-per-task=gpu=2\necho\n`);
    const r = lowerSlurm(file, {});
    const d = r.diagnostics.find((x) => x.code === "SBATCH022");
    expect(d?.suggestions.map((s) => s.replacement)).toEqual(["gres/gpu=2"]);
  });
});

describe("--signal without a time limit (spec §8.11)", () => {
  const warned = (directives: string) => {
    const file = createSourceFile("job.sbatch", `${SH}#SBATCH --gres=gpu:1\n${directives}python x.py\n`);
    return lowerSlurm(file, {}).diagnostics.some((d) => d.code === "SBATCH023" && d.severity === "warning");
  };
  test("is warned when the job has no limit (none, UNLIMITED, 0)", () => {
    expect(warned("#SBATCH --signal=B:USR1@60\n")).toBe(true);
    expect(warned("#SBATCH --time=UNLIMITED\n#SBATCH --signal=B:USR1@60\n")).toBe(true);
    expect(warned("#SBATCH --time=0\n#SBATCH --signal=B:USR1@60\n")).toBe(true);
  });
  test("is not warned when a limit exists, or when --time itself is in error", () => {
    expect(warned("#SBATCH --time=10\n#SBATCH --signal=B:USR1@60\n")).toBe(false);
    expect(warned("#SBATCH --time=9-00:00:00\n#SBATCH --signal=B:USR1@60\n")).toBe(false);
    expect(warned("#SBATCH --time=soon\n#SBATCH --signal=B:USR1@60\n")).toBe(false);
  });
});

describe("environment modules: what flow's `module` provides on the instance", () => {
  const body = (text: string, moduleMap?: Record<string, { image?: string; setup?: string }>) =>
    lowerSlurm(
      createSourceFile("job.sbatch", `${SH}#SBATCH --gres=gpu:1\n${text}`),
      moduleMap ? { moduleMap } : {},
    );

  test("a script without module commands asks for none", () => {
    expect(body("python x.py\n").value?.slurm?.modules).toBeUndefined();
  });

  test("module commands without a map: the functions, providing nothing", () => {
    const out = body("module purge\nmodule load cuda/12.1\n");
    expect(out.value?.slurm?.modules).toEqual({});
    const codes = out.diagnostics.filter((d) => d.code === "SBATCH030").map((d) => [d.severity, d.message]);
    expect(codes).toEqual([
      [
        "info",
        "no environment modules on the instance: `module purge` does nothing there (flow's `module` accepts `purge`)",
      ],
      ["warning", "no environment modules on the instance: `module load cuda/12.1` will fail"],
    ]);
  });

  test("mapped by name or by family: the setup step per module as loaded, and the image of the first", () => {
    const out = body("module load cuda/12.1 gcc/11 openmpi\nml python/3.11\n", {
      cuda: { setup: "export CUDA_HOME=/usr/local/cuda" },
      "gcc/11": { image: "gcc:11" },
      python: { image: "python:3.11", setup: "pip install -q numpy" },
    });
    expect(out.value?.slurm?.modules).toEqual({
      "cuda/12.1": "export CUDA_HOME=/usr/local/cuda",
      "gcc/11": "",
      "python/3.11": "pip install -q numpy",
    });
    // the family entry's image counts as the name's (it was looked up by exact name only)
    expect(body("module load gcc/11\n", { gcc: { image: "gcc:11" } }).value?.image).toBe("gcc:11");
  });

  test("try-load of a module nobody provides is information: it goes on", () => {
    const d = body("module try-load nccl\n").diagnostics.find((x) => x.code === "SBATCH030");
    expect([d?.severity, d?.message]).toEqual([
      "info",
      "no environment modules on the instance: `module try-load nccl` loads nothing there (and goes on, as it does for a missing module)",
    ]);
  });
});

describe("several GPU requests (spec §8.6: the first rule that applies decides)", () => {
  const run = (directives: string) =>
    lowerSlurm(createSourceFile("job.sbatch", `${SH}${directives}echo run\n`), {});

  test("a later request asking other GPUs is not used, and says so; one asking the same is mapped", () => {
    const out = run(
      "#SBATCH --tres-per-task=gres/gpu:h100=1\n#SBATCH --gres=gpu:a100:1\n#SBATCH --ntasks=1\n",
    );
    expect(out.value?.instance_type).toBe("1xa100");
    const warning = out.diagnostics.find((d) => d.code === "SBATCH020");
    expect(warning?.message).toBe(
      "`--tres-per-task=gres/gpu:h100=1` is not used: `--gres=gpu:a100:1` decides the GPUs (1 a100 per node; the first of --gpus-per-node, --gres, --gpus-per-task, --gpus applies)",
    );
    expect(out.fates.find((f) => f.option === "tres-per-task")).toMatchObject({
      fate: "overridden",
      detail: "--gres decides the GPUs",
    });
    const same = run("#SBATCH --gres=gpu:a100:2\n#SBATCH --gpus-per-task=a100:2\n#SBATCH --ntasks=1\n");
    expect(same.diagnostics.map((d) => d.code)).not.toContain("SBATCH020");
    expect(same.fates.find((f) => f.option === "gpus-per-task")?.fate).toBe("mapped");
  });

  test("a tres item sbatch drops (`gres/gpu=0`) is said once (SBATCH037), not also as ignored", () => {
    const out = run("#SBATCH --tres-per-task=gres/gpu=0\n#SBATCH --gres=gpu:1\n");
    expect(
      out.diagnostics
        .filter((d) => d.span?.start === out.diagnostics.find((x) => x.code === "SBATCH037")?.span?.start)
        .map((d) => d.code),
    ).toEqual(["SBATCH037"]);
    expect(out.fates.find((f) => f.option === "tres-per-task")?.fate).toBe("ignored");
  });
});
