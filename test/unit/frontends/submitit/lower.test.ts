import { describe, expect, test } from "vitest";
import { compile } from "../../../../src/compile.ts";
import { lowerSlurm, type SlurmLowerOptions } from "../../../../src/frontends/slurm/lower.ts";
import { lowerSubmitit } from "../../../../src/frontends/submitit/lower.ts";
import { createSourceFile } from "../../../../src/source/source-file.ts";

function lower(doc: object | string) {
  const text = typeof doc === "string" ? doc : JSON.stringify(doc, null, 2);
  const result = lowerSubmitit(createSourceFile("params.json", text), { set: {}, env: {} });
  const where = (code: string) => {
    const d = result.diagnostics.find((x) => x.code === code);
    return d?.span ? text.slice(d.span.start, d.span.end) : undefined;
  };
  return { result, text, where };
}

const base = { parameters: { timeout_min: 60, gpus_per_node: 1 }, command: ["python", "train.py"] };

describe("lowerSubmitit", () => {
  test("sbatch semantics come from the SLURM frontend, reported at the JSON value", () => {
    const { result, where } = lower({ ...base, parameters: { ...base.parameters, slurm_mem: "lots" } });
    expect(result.value).toBeUndefined();
    expect(where("SBATCH022")).toBe('"lots"');
    const d = result.diagnostics.find((x) => x.code === "SBATCH022")!;
    expect(d.notes.map((n) => n.message)).toContain("submitit renders this as `#SBATCH --mem=lots`");
    expect(d.suggestions.every((s) => s.replacement === undefined)).toBe(true);
  });

  test("the IR: time, nodes, tasks, GPUs, SLURM emulation from the rendered options", () => {
    const { result } = lower({
      parameters: { timeout_min: 90, nodes: 2, tasks_per_node: 4, slurm_gres: "gpu:h100:8", name: "t" },
      command: ["python", "train.py"],
    });
    expect(result.value).toMatchObject({
      name: "t",
      instance_type: "8xh100",
      num_instances: 2,
      max_run_time_hours: 1.5,
      slurm: { ntasks_per_node: 4, open_mode: "append", signal: { name: "USR2", seconds_before: 90 } },
    });
    expect(result.value?.script).toContain("export SUBMITIT_EXECUTOR=slurm\nsrun --unbuffered");
  });

  test("the span map points IR fields at the JSON that set them", () => {
    const { result, text } = lower({
      parameters: { timeout_min: 60, nodes: 3, gpus_per_node: 2 },
      command: ["x"],
    });
    const span = result.spans.get("num_instances")!;
    expect(text.slice(span.value.start, span.value.end)).toBe("3");
    expect(text.slice(span.key!.start, span.key!.end)).toBe('"nodes"');
  });

  test("env, cwd and cloud lie over the lowered task and are validated with it", () => {
    const { result, where } = lower({
      ...base,
      env: { WANDB_MODE: "offline", "BAD-NAME": "x" },
      cwd: "proj",
      cloud: { instance_type: "8xh100", region: "us-central1-a" },
    });
    expect(result.value).toBeUndefined();
    expect(where("IR013")).toBe('"BAD-NAME"');
    const ok = lower({
      ...base,
      env: { WANDB_MODE: "offline" },
      cwd: "proj",
      cloud: { instance_type: "8xh100" },
    });
    expect(ok.result.value).toMatchObject({
      env: { WANDB_MODE: "offline" },
      working_dir: "/workspace/proj",
      instance_type: "8xh100",
    });
  });

  test("a cloud instance type silences the GPU-default warnings and keeps the GPU count out of the emulation", () => {
    const { result } = lower({
      parameters: { timeout_min: 60 },
      command: ["x"],
      cloud: { instance_type: "8xh100" },
    });
    expect(result.diagnostics.map((d) => d.code)).not.toContain("SBATCH027");
    expect(result.value?.slurm?.gpus_per_node).toBeUndefined();
    const without = lower({ parameters: { timeout_min: 60 }, command: ["x"] });
    const advice = without.result.diagnostics.find((d) => d.code === "SBATCH027")!;
    expect(advice.suggestions[0]!.message).toContain("gpus_per_node");
  });

  test("no warnings about what submitit adds by itself; the user's own values are warned about", () => {
    const codes = lower(base).result.diagnostics.map((d) => d.code);
    expect(codes).not.toContain("SBATCH020"); // --wckey=submitit
    expect(codes).not.toContain("SBATCH032"); // srun --unbuffered --output --error
    const own = lower({ ...base, parameters: { ...base.parameters, slurm_wckey: "proj" } });
    expect(own.where("SBATCH020")).toBe('"slurm_wckey"');
  });

  test("no timeout_min: a loud warning about submitit's 5 minutes (G1)", () => {
    const { result, where } = lower({ parameters: { gpus_per_node: 1 }, command: ["x"] });
    expect(result.value?.max_run_time_hours).toBeCloseTo(5 / 60);
    expect(where("SUBMITIT010")).toBe('"parameters"');
  });

  test("map_array: one array task per element", () => {
    const { result } = lower({ ...base, map_array: [["a"], ["b"], ["c"]] });
    expect(result.value?.array).toEqual({ task_ids: [0, 1, 2], max_running: 3 });
    const compiled = compile(JSON.stringify({ ...base, map_array: [["a"], ["b"]] }), { filename: "p.json" });
    expect(compiled.bids.map((b) => b.name)).toEqual(["submitit-0", "submitit-1"]);
  });

  test("slurm_use_srun: false on several nodes: the SPMD warning speaks submitit (G15)", () => {
    const { result, where } = lower({
      parameters: { timeout_min: 60, nodes: 2, gpus_per_node: 1, slurm_use_srun: false },
      command: ["python", "x.py"],
    });
    expect(where("SBATCH035")).toBe('"python"');
    const d = result.diagnostics.find((x) => x.code === "SBATCH035")!;
    expect(d.suggestions[0]!.message).toContain("slurm_use_srun");
  });

  test("rendered line numbers never leak into messages", () => {
    const { result } = lower({
      ...base,
      parameters: {
        ...base.parameters,
        slurm_additional_parameters: { "open-mode": "truncate", open_mode: "append" },
      },
    });
    for (const d of result.diagnostics) expect(d.message).not.toMatch(/line \d/);
  });

  test("never throws; every span lies inside the JSON text", () => {
    for (const text of [
      "",
      "{",
      "[]",
      "null",
      '{"command": ["x"], "parameters": {"slurm_additional_parameters": {"x": [1]}}}',
      '{"command": ["x"], "script": 1}',
    ]) {
      const { result } = lower(text);
      expect(result.value).toBeUndefined();
      for (const d of result.diagnostics)
        if (d.span) expect(d.span.end).toBeLessThanOrEqual(Math.max(text.length, 1));
    }
  });
});

describe("a string command of several commands under srun (SUBMITIT016)", () => {
  const codes = (command: string, parameters: object = base.parameters) =>
    lower({ parameters, command }).result.diagnostics.map((d) => d.code);

  test("warned at the command: only its first command would run as the tasks", () => {
    for (const line of [
      "cd src && python train.py",
      "python prep.py\npython train.py",
      "a; b",
      "a | b",
      "a || b",
    ]) {
      expect(codes(line), JSON.stringify(line)).toContain("SUBMITIT016");
    }
  });

  test("not warned: one command (quotes, redirections, substitutions), or srun turned off", () => {
    for (const line of [
      "python train.py --name 'a; b' \"x && y\"",
      "python train.py 2>&1",
      "python train.py --host $(hostname)",
      "python a\\;b.py",
    ]) {
      expect(codes(line), JSON.stringify(line)).not.toContain("SUBMITIT016");
    }
    expect(codes("cd src && python x.py", { ...base.parameters, slurm_use_srun: false })).not.toContain(
      "SUBMITIT016",
    );
  });
});

test("a job-wide remark (no GPU requested) points at `parameters`, not at no place", () => {
  const { where } = lower({ parameters: { timeout_min: 10 }, command: ["python", "x.py"] });
  expect(where("SBATCH027")).toBe('"parameters"');
});

describe("SUBMITIT016 edge cases", () => {
  const codes = (command: string) => lower({ ...base, command }).result.diagnostics.map((d) => d.code);

  test("a pipeline is two commands: only `a` runs as the tasks, `tee` once in the batch script", () => {
    expect(codes("python train.py | tee log")).toContain("SUBMITIT016");
  });

  test("a `;` in a comment or inside quotes separates nothing", () => {
    for (const line of [
      "python train.py # first; then more",
      "python train.py --msg 'a;b'",
      'python train.py --msg "a; b"',
    ]) {
      expect(codes(line), JSON.stringify(line)).not.toContain("SUBMITIT016");
    }
  });
});

describe("a large script", () => {
  test("a 50,000-line script compiles (the rendering is linear in memory, not quadratic)", () => {
    const body = Array.from({ length: 50_000 }, (_, i) => `echo "step ${i}" >> out.log`).join("\n");
    const script = `#!/bin/bash\n${body}\n`;
    const { result } = lower({ parameters: base.parameters, script });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.value?.script).toContain(`echo "step 49999" >> out.log\n`);
    expect(result.sbatch?.split("\n").length).toBeGreaterThan(50_000);
  });
});

describe("lowerSlurm's externalSrunSteps (a submitit script the batch script runs may start the steps)", () => {
  const batch =
    "#!/bin/bash\n#SBATCH --time=10\n#SBATCH --gpus-per-node=1\n#SBATCH --signal=USR1@60\npython t.py\n";
  const sbatch023 = (options: SlurmLowerOptions) =>
    lowerSlurm(createSourceFile("job.sbatch", batch), { set: {}, env: {}, ...options }).diagnostics.filter(
      (d) => d.code === "SBATCH023",
    );

  test("without it, a --signal without B: in a script that starts no srun step is reported", () => {
    expect(sbatch023({}).map((d) => d.message)).toEqual([expect.stringContaining("this script starts none")]);
  });

  test("with it, the steps the body does not show receive the signal: nothing to report", () => {
    expect(sbatch023({ externalSrunSteps: true })).toEqual([]);
  });
});
