import { describe, expect, test } from "vitest";
import { CLOUD_GPU_MODELS, cloudGpuModel } from "../../../../src/frontends/slurm/gpu-models.ts";
import { GPU_MODELS } from "../../../../src/frontends/slurm/values/index.ts";

describe("GPU model mapping", () => {
  test("every model the SLURM frontend recognises maps to a cloud model (one vocabulary)", () => {
    for (const model of GPU_MODELS) {
      const cloud = cloudGpuModel(model);
      expect(cloud, model).toBeDefined();
      expect(CLOUD_GPU_MODELS).toContain(cloud?.model);
    }
  });

  test("gres types and features in cluster spellings", () => {
    expect(cloudGpuModel("tesla_v100")).toMatchObject({ model: "a100" });
    expect(cloudGpuModel("rtx_3080")).toMatchObject({ model: "a100" });
    expect(cloudGpuModel("nvidia_h100_80gb")).toEqual({ model: "h100" });
    expect(cloudGpuModel("A100-SXM4-80GB")).toEqual({ model: "a100" });
    expect(cloudGpuModel("p40")?.mapped).toContain("P40");
    expect(cloudGpuModel("b200")).toMatchObject({ model: "h100" });
    expect(cloudGpuModel("fpga")).toBeUndefined();
  });
});
