/** The pipeline with a partial table of frontends (the CLI loads frontends on demand). */
import { describe, expect, test } from "vitest";
import { lowerYaml } from "../../src/frontends/yaml/lower.ts";
import { compileWith } from "../../src/pipeline.ts";

describe("compileWith", () => {
  const yamlOnly = { yaml: lowerYaml };

  test("a format without a frontend in the table is FLOW002, not a crash", () => {
    const r = compileWith(yamlOnly, "#!/bin/bash\n#SBATCH -N 1\necho\n", { filename: "job.sbatch" });
    expect(r.ok).toBe(false);
    expect(r.format).toBe("slurm");
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["FLOW002", "the slurm format has no frontend in this compile"],
    ]);
    expect(r.bids).toEqual([]);
  });

  test("a format with one compiles", () => {
    const r = compileWith(yamlOnly, "name: t\ninstance_type: a100\ncommand: [x]\nupload_code: false\n", {
      filename: "t.yaml",
      project: "proj_x",
    });
    expect(r.ok).toBe(true);
    expect(r.bids).toHaveLength(1);
  });
});
