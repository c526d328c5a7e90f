/**
 * The body analysis, one rule at a time (SBATCH030–SBATCH035), each at its exact line:column, with
 * the negative cases that must stay silent (comments, quotes, here-documents, arguments).
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell text, where ${…} is parameter expansion
import { describe, expect, test } from "vitest";
import { analyzeBody, type BodyAnalysisOptions } from "../../../../../src/frontends/slurm/body/index.ts";
import { createSourceFile } from "../../../../../src/source/source-file.ts";
import { codesAt, spanText } from "../../../../helpers/diagnostics.ts";

const SINGLE: BodyAnalysisOptions = { numNodes: 1, hasImage: false };
const HEADER = "#!/bin/bash\n#SBATCH --gres=gpu:1\n";

/** Analyses HEADER + `body`; line 3 is the body's first line. */
function analyze(body: string, options: BodyAnalysisOptions = SINGLE) {
  const text = HEADER + body;
  const file = createSourceFile("job.sbatch", text);
  const result = analyzeBody(file, HEADER.length, options);
  return { file, ...result, codes: codesAt(file, result.diagnostics) };
}

function only(body: string, options: BodyAnalysisOptions = SINGLE) {
  const result = analyze(body, options);
  expect(result.diagnostics).toHaveLength(1);
  const d = result.diagnostics[0]!;
  return { ...result, d, text: spanText(result.file, d) };
}

describe("SBATCH030 environment modules", () => {
  test("module load: warning at the command word, naming the command and the module map", () => {
    const { codes, d, text } = only("module load cuda/12.1\n");
    expect(codes).toEqual(["SBATCH030@3:1"]);
    expect(text).toBe("module");
    expect(d.severity).toBe("warning");
    expect(d.message).toBe("no environment modules on the instance: `module load cuda/12.1` will fail");
    expect(d.suggestions[0]!.message).toContain(
      '{"cuda/12.1": {"image": "nvidia/cuda:12.1.0-devel-ubuntu22.04"}}',
    );
    expect(d.suggestions[0]!.message).toContain("--module-map");
  });

  test("module add of several modules is one warning listing them; indentation moves the column", () => {
    const { codes, d } = only("if true; then\n    module add gcc/9 openmpi/4\nfi\n");
    expect(codes).toEqual(["SBATCH030@4:5"]);
    expect(d.message).toContain("`module add gcc/9 openmpi/4`");
  });

  test("module purge, ml X and bare ml", () => {
    const { codes, diagnostics } = analyze("module purge\nml cuda/11.8\nml\n");
    expect(codes).toEqual(["SBATCH030@3:1", "SBATCH030@4:1", "SBATCH030@5:1"]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      "no environment modules on the instance: `module purge` does nothing there (flow's `module` accepts `purge`)",
      "no environment modules on the instance: `ml cuda/11.8` will fail",
      "no environment modules on the instance: `ml` does nothing there (flow's `module` accepts `list`)",
    ]);
    expect(diagnostics.map((d) => d.severity)).toEqual(["info", "warning", "info"]);
  });

  test("with set -e the warning notes that the script stops there", () => {
    const { d } = only("set -euo pipefail\nmodule load x\n");
    expect(d.notes[0]!.message).toContain("`set -e` is in effect");
    const off = only("set -e\nset +e\nmodule load x\n").d;
    expect(off.notes).toEqual([]);
  });

  test("sourcing a module system's init script is SBATCH030", () => {
    expect(analyze("source /etc/profile.d/modules.sh\n. /usr/share/lmod/lmod/init/bash\n").codes).toEqual([
      "SBATCH030@3:1",
      "SBATCH030@4:1",
    ]);
  });

  test("facts list every module with the span of its name", () => {
    const { facts, file } = analyze("module load cuda/12.1 python/3.10\nml gcc\n");
    expect(facts.modules.map((m) => [m.name, file.text.slice(m.span.start, m.span.end)])).toEqual([
      ["cuda/12.1", "cuda/12.1"],
      ["python/3.10", "python/3.10"],
      ["gcc", "gcc"],
    ]);
  });
});

describe("SBATCH030 with a module map", () => {
  const moduleMap = {
    "cuda/12.1": { image: "nvidia/cuda:12.1.0-devel-ubuntu22.04" },
    "python/3.10": { setup: "apt-get install -y python3.10" },
    gcc: { setup: "apt-get install -y gcc" },
    pytorch: { image: "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime" },
  };

  test("a mapped module is an info saying what replaces it", () => {
    const { codes, d } = only("module load cuda/12.1 python/3.10\n", { ...SINGLE, moduleMap });
    expect(codes).toEqual(["SBATCH030@3:1"]);
    expect(d.severity).toBe("info");
    expect(d.message).toBe(
      "the module map replaces `cuda/12.1` by the image `nvidia/cuda:12.1.0-devel-ubuntu22.04`; `python/3.10` by the setup step `apt-get install -y python3.10`",
    );
  });

  test("a family key maps every version; unmapped modules of the same command still warn", () => {
    const { diagnostics, codes } = analyze("module load gcc/11.2 openmpi\n", { ...SINGLE, moduleMap });
    expect(codes).toEqual(["SBATCH030@3:1", "SBATCH030@3:1"]);
    expect(diagnostics.map((d) => d.severity)).toEqual(["warning", "info"]);
    expect(diagnostics[0]!.message).toContain("`module load openmpi` will fail");
  });

  test("two modules mapping to different images conflict, at the second module with a note at the first", () => {
    const { diagnostics, codes, file } = analyze("module load cuda/12.1\nmodule load pytorch\n", {
      ...SINGLE,
      moduleMap,
    });
    expect(codes).toEqual(["SBATCH030@3:1", "SBATCH030@4:1", "SBATCH030@4:13"]);
    const conflict = diagnostics[2]!;
    expect(conflict.severity).toBe("warning");
    expect(conflict.message).toContain("conflicting images");
    expect(file.text.slice(conflict.notes[0]!.span!.start, conflict.notes[0]!.span!.end)).toBe("cuda/12.1");
  });

  test("an image from the map conflicts with the task's own image", () => {
    const { diagnostics, codes } = analyze("module load cuda/12.1\n", {
      ...SINGLE,
      moduleMap,
      hasImage: true,
    });
    expect(codes).toEqual(["SBATCH030@3:1", "SBATCH030@3:13"]);
    expect(diagnostics[1]!.message).toContain("the task already has an image");
  });

  test("inherited object keys are not module-map entries", () => {
    const { d } = only("module load constructor\n", { ...SINGLE, moduleMap: {} });
    expect(d.severity).toBe("warning");
  });
});

describe("SBATCH031 environment activation", () => {
  test("conda activate, mamba activate and source activate name the environment", () => {
    const { codes, facts, diagnostics } = analyze(
      "conda activate myenv\nmamba activate other\nsource activate old\nconda deactivate\n",
    );
    expect(codes).toEqual(["SBATCH031@3:1", "SBATCH031@4:1", "SBATCH031@5:1"]);
    expect(diagnostics.every((d) => d.severity === "info")).toBe(true);
    expect(diagnostics[0]!.message).toContain("the environment `myenv` must exist in the task's image");
    expect(facts.condaEnvs).toEqual(["myenv", "other", "old"]);
  });

  test('the conda shell hook inside eval "$(…)" and conda.sh', () => {
    expect(
      analyze('eval "$(conda shell.bash hook)"\nsource ~/miniconda3/etc/profile.d/conda.sh\n').codes,
    ).toEqual(["SBATCH031@3:9", "SBATCH031@4:1"]);
  });

  test("a virtualenv activation names the directory", () => {
    const { codes, d, facts } = only("  . .venv/bin/activate\n");
    expect(codes).toEqual(["SBATCH031@3:3"]);
    expect(d.message).toContain("the virtualenv `.venv`");
    expect(facts.venvs).toEqual([".venv"]);
  });

  test("conda's own bin/activate with an environment is conda, not a virtualenv", () => {
    const { facts } = analyze("source /opt/anaconda3/bin/activate torch\n");
    expect(facts.condaEnvs).toEqual(["torch"]);
    expect(facts.venvs).toEqual([]);
  });

  test("sourcing a login profile", () => {
    const { codes, d } = only(". ~/.bashrc\n");
    expect(codes).toEqual(["SBATCH031@3:1"]);
    expect(d.message).toContain("not your cluster one");
  });

  test("sourcing the user's own files is fine", () => {
    expect(analyze("source env.sh\n. ./config\n").codes).toEqual([]);
  });
});

describe("SBATCH032 srun options and MPI", () => {
  test("honoured options are silent and srun is a fact", () => {
    const { codes, facts } = analyze(
      "srun -n 4 -N2 --ntasks-per-node=2 -c 8 --gpus-per-task=1 --gres=gpu:1 --export=ALL -l python x.py\n",
    );
    expect(codes).toEqual([]);
    expect(facts.usesSrun).toBe(true);
  });

  test("an unhonoured option is a warning at the option as written", () => {
    const { codes, d, text } = only("srun --mpi=pmix python x.py\n");
    expect(codes).toEqual(["SBATCH032@3:6"]);
    expect(text).toBe("--mpi=pmix");
    expect(d.severity).toBe("warning");
    expect(d.message).toContain("the srun shim ignores `--mpi=pmix`");
  });

  test("each kind of ignored option", () => {
    const { codes, diagnostics } = analyze(
      "srun --cpu-bind=cores -w node1 --distribution=block:block --pty --exclusive --overlap --het-group=0 --multi-prog -o out.%t bash\n",
    );
    expect(codes).toEqual([
      "SBATCH032@3:6",
      "SBATCH032@3:23",
      "SBATCH032@3:32",
      "SBATCH032@3:59",
      "SBATCH032@3:65",
      "SBATCH032@3:77",
      "SBATCH032@3:87",
      "SBATCH032@3:101",
      "SBATCH032@3:114",
    ]);
    expect(diagnostics.every((d) => d.severity === "warning")).toBe(true);
    expect(diagnostics[1]!.message).toContain("`-w node1`");
  });

  test("scheduling options are harmless infos", () => {
    const { diagnostics } = analyze("srun -p gpu --mem=16G -t 1:00:00 -A proj python x.py\n");
    expect(diagnostics.map((d) => `${d.severity}:${d.message}`)).toEqual([
      "info:the srun shim accepts `-p gpu` and ignores it; nothing changes on the instance",
      "info:the srun shim accepts `--mem=16G` and ignores it; nothing changes on the instance",
      "info:the srun shim accepts `-t 1:00:00` and ignores it; nothing changes on the instance",
      "info:the srun shim accepts `-A proj` and ignores it; nothing changes on the instance",
    ]);
  });

  test("harmless options are infos; a short option inside a cluster points at its letter", () => {
    const { diagnostics, codes, file } = analyze("srun -lK -J step -u python\n");
    expect(codes).toEqual(["SBATCH032@3:8", "SBATCH032@3:10", "SBATCH032@3:18"]);
    expect(diagnostics.map((d) => d.severity)).toEqual(["info", "info", "info"]);
    expect(spanText(file, diagnostics[0]!)).toBe("K");
  });

  test("a separate value is read with its option, so the program is found", () => {
    const { codes } = analyze("srun --mpi pmix singularity exec img.sif python\n");
    expect(codes).toEqual(["SBATCH032@3:6", "SBATCH034@3:17"]);
  });

  test("unique prefixes resolve; ambiguous and unknown options warn with suggestions", () => {
    expect(analyze("srun --ntasks-per-n=2 x\n").codes).toEqual([]);
    const { diagnostics, codes } = analyze("srun --cpus=4 --frobnicate x\n");
    expect(codes).toEqual(["SBATCH032@3:6", "SBATCH032@3:15"]);
    expect(diagnostics[0]!.suggestions.map((s) => s.replacement)).toEqual([
      "--cpus-per-task=4",
      "--cpus-per-gpu=4",
    ]);
    expect(diagnostics[1]!.message).toContain("srun has no option `--frobnicate`");
    expect(diagnostics[1]!.suggestions).toEqual([]);
  });

  test("a misspelt long option is unknown, with the closest srun option as its suggestion", () => {
    const { d } = only("srun --ntaks=4 x\n");
    expect(d.message).toContain("srun has no option `--ntaks`");
    expect(d.suggestions.map((s) => `${s.message} ${s.replacement}`)).toEqual([
      "did you mean `--ntasks`? --ntasks=4",
    ]);
    expect(only("srun --labek x\n").d.suggestions.map((s) => s.replacement)).toEqual(["--label"]);
  });

  test("an option repeated on one srun line is reported once, at its first use", () => {
    const { codes, diagnostics } = analyze("srun -vvv -v -u -zz --mpi=pmix --mpi=pmix --mpi=none x\n");
    expect(codes).toEqual([
      "SBATCH032@3:6",
      "SBATCH032@3:14",
      "SBATCH032@3:17",
      "SBATCH032@3:21",
      "SBATCH032@3:43",
    ]);
    expect(diagnostics.map((d) => d.severity)).toEqual(["info", "info", "warning", "warning", "info"]);
    // a hostile megabyte cluster of one letter stays one diagnostic
    expect(analyze(`srun -${"z".repeat(1_000_000)} x\n`).diagnostics).toHaveLength(1);
  });

  test("hostile unknown long options: huge, unicode, empty-looking", () => {
    const huge = only(`srun --${"q".repeat(100_000)} x\n`).d;
    expect(huge.message).toContain("srun has no option");
    expect(huge.message.length).toBeLessThan(200);
    expect(huge.suggestions).toEqual([]);
    const value = only(`srun --mpi=${"p".repeat(100_000)} x\n`).d;
    expect(value.message).toContain("the srun shim ignores `--mpi=ppp");
    expect(value.message.length).toBeLessThan(300);
    expect(only("srun --ntäsks=2 x\n").d.suggestions.map((s) => s.replacement)).toEqual(["--ntasks=2"]);
    expect(only("srun --=3 x\n").d.message).toContain("srun has no option `--`");
  });

  test("heterogeneous steps separated by `:`", () => {
    expect(analyze("srun -n1 a : -n2 b\n").codes).toEqual(["SBATCH032@3:12"]);
  });

  test("srun behind wrappers and keywords", () => {
    expect(analyze("time nohup env A=1 timeout 1h srun --pty x &\n").codes).toEqual(["SBATCH032@3:36"]);
  });

  test("mpirun: a warning across nodes, an info on one node", () => {
    const multi = analyze("mpirun -np 8 ./a.out\n", { numNodes: 2, hasImage: false });
    expect(multi.codes).toEqual(["SBATCH032@3:1", "SBATCH035@3:1"]);
    expect(multi.diagnostics[0]!.message).toContain("needs a hostfile and passwordless ssh");
    expect(multi.diagnostics[0]!.suggestions[0]!.message).toContain("scontrol show hostnames");
    const single = only("mpiexec -n 4 python x.py\n");
    expect(single.d.severity).toBe("info");
  });
});

describe("SBATCH033 scheduler commands", () => {
  test("nested sbatch, also inside $(…)", () => {
    const { codes, diagnostics } = analyze("sbatch next.sh\njid=$(sbatch --parsable next.sh)\n");
    expect(codes).toEqual(["SBATCH033@3:1", "SBATCH033@4:7"]);
    expect(diagnostics[0]!.message).toContain("the `sbatch` shim fails loudly");
    expect(diagnostics[1]!.message).toContain("the job id it would print is empty");
  });

  test("scontrol show hostnames is supported; other scontrol subcommands are not", () => {
    const { codes } = analyze(
      'nodes=$(scontrol show hostnames "$SLURM_JOB_NODELIST")\nscontrol show hostname\nscontrol show job $SLURM_JOB_ID\n',
    );
    expect(codes).toEqual(["SBATCH033@5:1"]);
  });

  test("tools without a shim are not found; squeue, sacct, sinfo, salloc", () => {
    const { codes, diagnostics } = analyze("squeue -u $USER\nsacct -j 1\nsinfo\nsalloc -N1\n");
    expect(codes).toEqual(["SBATCH033@3:1", "SBATCH033@4:1", "SBATCH033@5:1", "SBATCH033@6:1"]);
    expect(diagnostics[0]!.message).toContain("shim fails loudly");
    expect(diagnostics[1]!.message).toContain("`sacct` is not installed");
  });

  test("scancel of the job itself suggests exit, replacing the whole command", () => {
    const { d, file } = only("scancel $SLURM_JOB_ID\n");
    const fix = d.suggestions[0]!;
    expect(fix.replacement).toBe("exit");
    expect(file.text.slice(fix.span!.start, fix.span!.end)).toBe("scancel $SLURM_JOB_ID");
  });
});

describe("SBATCH034 container runtimes", () => {
  test("singularity exec of a docker:// image suggests that image as the task's image", () => {
    const { codes, d, facts } = only(
      "singularity exec --nv -B /data:/data docker://pytorch/pytorch:2.1.0 python train.py\n",
    );
    expect(codes).toEqual(["SBATCH034@3:1"]);
    expect(d.message).toContain("singularity is not installed on the instance");
    expect(d.suggestions[0]!.message).toBe(
      "make `pytorch/pytorch:2.1.0` the task's `image`, and run `python train.py` directly",
    );
    expect(facts.containers.map((c) => c.runtime)).toEqual(["singularity"]);
  });

  test("apptainer of a SIF file says it is not a registry image", () => {
    const { d } = only("apptainer run /scratch/img.sif\n");
    expect(d.suggestions[0]!.message).toContain("`/scratch/img.sif` is not a registry image");
  });

  test("enroot and pyxis spell the registry with #", () => {
    const { codes, diagnostics, facts, file } = analyze(
      "enroot import docker://nvcr.io#nvidia/pytorch:24.01-py3\nsrun --container-image=nvcr.io#nvidia/pytorch:24.01-py3 --container-mounts=/d:/d python x.py\n",
    );
    expect(codes).toEqual(["SBATCH034@3:1", "SBATCH034@4:6"]);
    expect(diagnostics[0]!.suggestions[0]!.message).toContain("`nvcr.io/nvidia/pytorch:24.01-py3`");
    expect(spanText(file, diagnostics[1]!)).toBe("--container-image=nvcr.io#nvidia/pytorch:24.01-py3");
    expect(facts.containers.map((c) => c.runtime)).toEqual(["enroot", "enroot"]);
  });

  test("docker run: an info on the host, a warning inside the task's image", () => {
    const host = only("docker run --rm -v /d:/d ubuntu:22.04 ls\n");
    expect(host.d.severity).toBe("info");
    expect(host.d.suggestions[0]!.message).toContain("`ubuntu:22.04`");
    const inside = only("docker run ubuntu:22.04 ls\n", { ...SINGLE, hasImage: true });
    expect(inside.d.severity).toBe("warning");
  });

  test("a container started by srun is still reported", () => {
    expect(analyze("srun -n 2 apptainer exec img.sif python\n").codes).toEqual(["SBATCH034@3:11"]);
  });
});

describe("SBATCH035 SLURM variables and the SPMD emulation", () => {
  test("a variable the emulation does not set: warning at its name, with what to use instead", () => {
    const { codes, d, text } = only('echo "$SLURM_STEP_GPUS"\n');
    expect(codes).toEqual(["SBATCH035@3:8"]);
    expect(text).toBe("SLURM_STEP_GPUS");
    expect(d.message).toContain("the script sees it unset");
    expect(d.suggestions[0]!.message).toContain("SLURM_GPUS_ON_NODE");
  });

  test("emulated variables are silent and listed as facts, once each, in order", () => {
    const { codes, facts } = analyze(
      "echo $SLURM_JOB_ID $SLURM_ARRAY_TASK_ID ${SLURM_JOB_ID} $SLURMD_NODENAME\n",
    );
    expect(codes).toEqual([]);
    expect(facts.slurmVariables).toEqual(["SLURM_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURMD_NODENAME"]);
  });

  test("a default given in ${…} makes it an info", () => {
    const { d } = only("cd ${SLURM_TMPDIR:-/tmp}\n");
    expect(d.severity).toBe("info");
    expect(d.message).toContain("the default the script gives applies");
  });

  test("bare names in arithmetic, heterogeneous and step variables", () => {
    const { codes, diagnostics } = analyze("echo $(( SLURM_HET_SIZE + 1 ))\necho $SLURM_STEP_ID\n");
    expect(codes).toEqual(["SBATCH035@3:10", "SBATCH035@4:7"]);
    expect(diagnostics[0]!.message).toContain("heterogeneous jobs are not supported");
    expect(diagnostics[1]!.message).toContain("set only inside tasks started by srun");
  });

  test("a likely typo gets the emulated name as a replacement", () => {
    const { d } = only("scontrol show hostnames $SLURM_JOB_NODELIS\n");
    expect(d.suggestions).toEqual([
      { message: "did you mean `SLURM_JOB_NODELIST`?", replacement: "SLURM_JOB_NODELIST" },
    ]);
  });

  test("one diagnostic per variable, noting further reads; none when the script sets it first", () => {
    const { codes, diagnostics } = analyze("echo $SLURM_MEM_PER_CPU\necho $SLURM_MEM_PER_CPU\n");
    expect(codes).toEqual(["SBATCH035@3:7"]);
    expect(diagnostics[0]!.notes[0]!.message).toContain("read 2 times");
    expect(analyze("export SLURM_TMPDIR=/tmp\necho $SLURM_TMPDIR\n").codes).toEqual([]);
    expect(analyze("SLURM_X=1 python a.py\necho $SLURM_X\n").codes).toEqual([]);
    expect(analyze("echo $SLURM_TMPDIR\nexport SLURM_TMPDIR=/tmp\n").codes).toEqual(["SBATCH035@3:7"]);
  });

  test("multi-node: one warning at the first command that runs outside srun", () => {
    const { codes, d } = only("echo start 2>/dev/null || true\ncd /work\npython prep.py\npython train.py\n", {
      numNodes: 4,
      hasImage: true,
    });
    expect(codes).toEqual(["SBATCH035@5:1"]);
    expect(d.message).toContain("this job has 4 nodes");
    expect(d.message).toContain("`python prep.py`");
  });

  test("multi-node: srun-only scripts, node guards and command substitutions are fine", () => {
    const multi = { numNodes: 2, hasImage: false };
    expect(analyze("srun python train.py\n", multi).codes).toEqual([]);
    expect(analyze('if [ "$SLURM_NODEID" = 0 ]; then python prep.py; fi\n', multi).codes).toEqual([]);
    expect(analyze('port=$(python -c "print(1)")\nsrun x\n', multi).codes).toEqual([]);
    expect(analyze("exec > >(tee -a log) 2>&1\nsrun x\n", multi).codes).toEqual([]);
    expect(analyze("python train.py\n").codes).toEqual([]);
  });

  test("inSrunTask: a task srun started sets srun's task variables, and runs on every node by design", () => {
    const body = "python train.py --step $SLURM_STEP_ID --rank $SLURM_PROCID --x $SLURM_TMPDIR\n";
    const batch = analyze(body, { numNodes: 2, hasImage: false });
    expect(batch.diagnostics.map((d) => spanText(batch.file, d))).toEqual([
      "python",
      "SLURM_STEP_ID",
      "SLURM_TMPDIR",
    ]);
    const task = analyze(body, { numNodes: 2, hasImage: false, inSrunTask: true });
    // Neither the SPMD warning nor SLURM_STEP_ID; a variable no emulation sets is still reported.
    expect(task.diagnostics.map((d) => spanText(task.file, d))).toEqual(["SLURM_TMPDIR"]);
  });

  test("spmdWarning: false leaves out only the SPMD warning", () => {
    const body = "python train.py --step $SLURM_STEP_ID\n";
    const r = analyze(body, { numNodes: 2, hasImage: false, spmdWarning: false });
    expect(r.diagnostics.map((d) => spanText(r.file, d))).toEqual(["SLURM_STEP_ID"]);
  });
});

describe("what is never reported", () => {
  test("comments, quoted strings, here-document bodies and arguments", () => {
    const body = [
      "# module load cuda   srun --mpi=pmix   sbatch x",
      'echo "module load x" \'srun --pty bash\' "sbatch y" # conda activate z',
      "echo module load x; printf '%s' $'srun --pty'",
      "cat > job.sh <<EOF",
      "#!/bin/bash",
      "module load cuda",
      "srun --mpi=pmix python x.py $SLURM_STEP_GPUS",
      "sbatch again.sh",
      "EOF",
      "cat <<-'EOS'",
      "\tsingularity exec x",
      "\tEOS",
      "python -c \"import os; os.system('sbatch x')\"",
      "grep -r 'module load' .",
      "echo '$SLURM_STEP_GPUS' \\$SLURM_STEP_GPUS",
    ].join("\n");
    expect(analyze(`${body}\n`).codes).toEqual([]);
  });

  test("a script for another interpreter is not read as shell", () => {
    const file = createSourceFile("job.sbatch", "#!/usr/bin/env python3\n#SBATCH -N1\nimport os\nsrun = 1\n");
    expect(analyzeBody(file, 0, SINGLE).diagnostics).toEqual([]);
  });

  test("#!/bin/bash -e turns on the set -e notes", () => {
    const file = createSourceFile("job.sbatch", "#!/bin/bash -ex\nsbatch x\n");
    const { diagnostics } = analyzeBody(file, 0, SINGLE);
    expect(diagnostics[0]!.notes[0]!.span).toEqual({ start: 0, end: 15 });
  });

  test("a command before bodyStart is still analysed", () => {
    const text = "#!/bin/bash\nmodule load x\n#SBATCH -N1\nsrun --pty y\n";
    const file = createSourceFile("job.sbatch", text);
    expect(codesAt(file, analyzeBody(file, text.indexOf("srun"), SINGLE).diagnostics)).toEqual([
      "SBATCH030@2:1",
      "SBATCH032@4:6",
    ]);
  });
});

describe("variables the emulation sets are never reported", () => {
  test("SLURM_JOB_CPUS_PER_NODE, SLURM_GPUS_PER_NODE, SLURM_GTIDS … (the shared list)", () => {
    const { codes } = analyze(
      'echo "$SLURM_JOB_CPUS_PER_NODE $SLURM_GPUS_PER_NODE $SLURM_GTIDS $SLURM_JOB_GID $SLURM_JOB_GROUP"\n',
    );
    expect(codes).toEqual([]);
  });
});

describe("trap handlers are analysed like the body", () => {
  test("a single-quoted handler: its commands are reported at their place in the file", () => {
    const { codes, d, text } = only("trap 'echo bye; scontrol requeue $SLURM_JOB_ID' USR1\n");
    expect(codes).toEqual(["SBATCH033@3:17"]);
    expect(text).toBe("scontrol");
    expect(d.message).toContain("`scontrol requeue $SLURM_JOB_ID`");
  });

  test("spans stay exact after non-ASCII text and surrogate pairs in the handler", () => {
    const { codes, text } = only("trap 'echo ü😀; scontrol requeue 1' USR1\n");
    expect(codes).toEqual(["SBATCH033@3:16"]); // columns in code points: the emoji is one
    expect(text).toBe("scontrol");
  });

  test("srun in a handler counts as srun use, and SLURM variables in it are seen", () => {
    const { facts } = analyze("trap 'srun python save.py $SLURM_PROCID' TERM\nsleep 1\n");
    expect(facts.usesSrun).toBe(true);
    expect(facts.slurmVariables).toContain("SLURM_PROCID");
  });

  test("left alone: a double-quoted handler (expanded by trap itself), a reset, a listing", () => {
    expect(analyze('trap "scontrol requeue $SLURM_JOB_ID" USR1\n').codes).toEqual([]);
    expect(analyze("trap - USR1\ntrap -p\ntrap -- 'scontrol requeue 1'\n").codes).toEqual([]);
    expect(analyze("trap 'a'\"b\" USR1\n").codes).toEqual([]);
  });

  test("a script of many traps stays linear: only the first 32 handlers are read", () => {
    const body = "trap 'scontrol requeue 1' USR1\n".repeat(100);
    expect(analyze(body).codes).toHaveLength(32);
  });
});
