import { describe, expect, test } from "vitest";
import { detectFormat } from "../../../src/frontends/detect.ts";

describe("format detection", () => {
  test("by extension first", () => {
    expect(detectFormat("job.yaml", "#!/bin/bash").format).toBe("yaml");
    expect(detectFormat("job.YML", "").format).toBe("yaml");
    expect(detectFormat("job.sbatch", "name: x").format).toBe("slurm");
    expect(detectFormat("params.json", "").format).toBe("submitit");
  });

  test("then by content", () => {
    expect(detectFormat("job", "#!/bin/bash\n#SBATCH -N 1\n").format).toBe("slurm");
    expect(detectFormat("job", '{"parameters": {}}').format).toBe("submitit");
    expect(detectFormat("job", "\uFEFFname: x\n").format).toBe("yaml");
    expect(detectFormat("dir.d/job", "name: x\n").format).toBe("yaml");
  });

  test("unknown: FLOW001 listing what was tried", () => {
    const { format, diagnostics } = detectFormat("notes.txt", "just words");
    expect(format).toBeUndefined();
    expect(diagnostics[0]?.code).toBe("FLOW001");
    expect(diagnostics[0]?.notes).toHaveLength(2);
  });
});
