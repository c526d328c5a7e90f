import { describe, expect, test } from "vitest";
import { compile } from "../../../src/compile.ts";
import { detectFormat } from "../../../src/frontends/detect.ts";

describe("format detection", () => {
  test("by extension first", () => {
    expect(detectFormat("job.yaml", "#!/bin/bash").format).toBe("yaml");
    expect(detectFormat("job.YML", "").format).toBe("yaml");
    expect(detectFormat("job.sbatch", "name: x").format).toBe("slurm");
    expect(detectFormat("params.json", "").format).toBe("submitit");
    expect(detectFormat("params.JSON", '{"name": "x"}').format).toBe("submitit");
  });

  test("then by content", () => {
    expect(detectFormat("job", "#!/bin/bash\n#SBATCH -N 1\n").format).toBe("slurm");
    expect(detectFormat("job", "echo hi\n#SBATCH -N 1\n").format).toBe("slurm");
    expect(detectFormat("job", '{"parameters": {}}').format).toBe("submitit");
    expect(detectFormat("job", '{\n  "parameters_list": []}').format).toBe("submitit");
    expect(detectFormat("job", '{"format": "submitit/v1", "command": ["x"]}').format).toBe("submitit");
    expect(detectFormat("job", '{"name": "t", "instance_type": "a100"}').format).toBe("yaml");
    expect(detectFormat("job", "\uFEFFname: x\n").format).toBe("yaml");
    expect(detectFormat("dir.d/job", "name: x\n").format).toBe("yaml");
  });

  test("unknown: FLOW001 listing what was tried", () => {
    const { format, diagnostics } = detectFormat("notes.txt", "just words");
    expect(format).toBeUndefined();
    expect(diagnostics[0]?.code).toBe("FLOW001");
    expect(diagnostics[0]?.notes).toHaveLength(2);
  });

  test("empty, blank, BOM-led and huge inputs", () => {
    expect(detectFormat("job", "").diagnostics[0]?.code).toBe("FLOW001");
    expect(detectFormat("job", " \n\t\n").diagnostics[0]?.code).toBe("FLOW001");
    expect(detectFormat("job", '\uFEFF  {"parameters": {}}').format).toBe("submitit");
    expect(detectFormat(".sh", "").format).toBe("slurm");
    expect(detectFormat("job", "- name: x\n").diagnostics[0]?.code).toBe("FLOW001");
    // Only the first 64 KiB is looked at: a #SBATCH line after it does not make a SLURM script.
    expect(detectFormat("job", `${" ".repeat(70_000)}\n#SBATCH -N 1\n`).format).toBeUndefined();
    expect(detectFormat("job", `#SBATCH -N 1\n${"x".repeat(1_000_000)}`).format).toBe("slurm");
  });

  test("a JSON object that is neither submitit nor a task: FLOW001 says which keys were looked for", () => {
    const { format, diagnostics } = detectFormat("data", '{"version": 1}');
    expect(format).toBeUndefined();
    expect(diagnostics[0]?.notes[1]?.message).toContain("neither with submitit keys");
  });

  test("compile: --format overrides detection; a .json that is not submitit gets SUBMITIT003", () => {
    const yamlAsJson = '{"name": "t", "instance_type": "a100", "command": ["x"]}';
    expect(compile(yamlAsJson, { filename: "t.json" }).diagnostics[0]?.code).toBe("SUBMITIT003");
    const asYaml = compile(yamlAsJson, { filename: "t.json", format: "yaml" });
    expect(asYaml.ok).toBe(true);
    expect(asYaml.format).toBe("yaml");
    const sub = compile('{"parameters": {"timeout_min": 5, "gpus_per_node": 1}, "command": ["x"]}', {
      filename: "params",
    });
    expect(sub.format).toBe("submitit");
    expect(sub.ok).toBe(true);
  });
});
