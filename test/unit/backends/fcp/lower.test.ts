import { describe, expect, test } from "vitest";
import { builtinCatalog } from "../../../../src/backends/fcp/catalog/index.ts";
import { lowerToFcp } from "../../../../src/backends/fcp/lower.ts";
import { lowerYaml } from "../../../../src/frontends/yaml/lower.ts";
import { createSourceFile } from "../../../../src/source/source-file.ts";
import { codesAt } from "../../../helpers/diagnostics.ts";
import { schemaValidator } from "../../../helpers/openapi.ts";

const createBid = schemaValidator("CreateBidRequest");

function lower(text: string, options: { project?: string; scriptLimit?: number } = {}) {
  const file = createSourceFile("job.yaml", text);
  const front = lowerYaml(file);
  if (!front.value) throw new Error(`fixture does not validate: ${JSON.stringify(front.diagnostics)}`);
  const out = lowerToFcp(front.value, front.spans, {
    catalog: builtinCatalog(),
    scriptLimit: options.scriptLimit ?? 10_000,
    ...(options.project ? { project: options.project } : {}),
  });
  return { ...out, codes: codesAt(file, out.diagnostics) };
}

const BASE = "name: t\nupload_code: false\n";

describe("FCP lowering", () => {
  test("a catalog FID, the given region, the limit price, the quantity", () => {
    const out = lower(
      `${BASE}instance_type: 8xh100\nregion: us-central1-b\nmax_price_per_hour: 20\nnum_instances: 3\n`,
      {
        project: "proj_x",
      },
    );
    const [bid] = out.bids;
    expect(bid).toMatchObject({
      project: "proj_x",
      region: "us-central1-b",
      instance_type: builtinCatalog().instanceTypes.find(
        (t) => t.regions.includes("us-central1-b") && t.num_gpus === 8 && t.gpu_type === "H100",
      )?.fid,
      limit_price: "$20.00",
      instance_quantity: 3,
      name: "t",
    });
    expect(createBid(bid)).toBe("");
    expect(out.codes).toEqual([]);
  });

  test("no region: one is chosen and said (FCP002); no project: said (FCP005)", () => {
    const out = lower(`${BASE}instance_type: a100\nmax_price_per_hour: 1\n`);
    expect(out.codes).toEqual(["FCP002@3:16", "FCP005"]);
    expect(out.bids[0]?.region).toMatch(/^[a-z]+-[a-z]+\d-[a-z]$/);
    expect(out.bids[0]).not.toHaveProperty("project");
  });

  test("no max price: derived from the priority tier and the GPU count (FCP004)", () => {
    const out = lower(`${BASE}instance_type: 8xa100\nregion: eu-central1-a\npriority: low\n`, {
      project: "proj_x",
    });
    expect(out.bids[0]?.limit_price).toBe("$16.00");
    expect(out.codes).toEqual(["FCP004@5:1"]);
  });

  test("min_gpu_memory_gb resolves to the smallest fitting type", () => {
    const out = lower(`${BASE}min_gpu_memory_gb: 40\nmax_price_per_hour: 3\n`, { project: "proj_x" });
    const fid = out.bids[0]?.instance_type;
    expect(builtinCatalog().instanceTypes.find((t) => t.fid === fid)?.num_gpus).toBe(1);
  });

  test("a type the catalog lacks is IT002 with the available spelling; a wrong region is FCP003", () => {
    const missing = lower(`${BASE}instance_type: 2xh100\n`);
    expect(missing.bids).toEqual([]);
    expect(missing.codes[0]).toBe("IT002@3:16");
    expect(missing.diagnostics[0]?.suggestions.map((s) => s.replacement)).toContain("8xh100");
    const region = lower(`${BASE}instance_type: 8xh100\nregion: eu-central1-a\n`);
    expect(region.codes[0]).toBe("FCP003@4:9");
    expect(region.diagnostics[0]?.suggestions.map((s) => s.replacement)).toEqual([
      "us-central1-a",
      "us-central1-b",
    ]);
  });

  test("volumes, run-time limits and auto_terminate are honoured; what cannot be is named", () => {
    const honoured = lower(
      "name: t\ninstance_type: a100\nmax_price_per_hour: 1\nregion: eu-central1-a\nupload_code: false\nvolumes: [{size_gb: 1, name: d}]\nmax_run_time_hours: 2\nauto_terminate: true\n",
      { project: "proj_x" },
    );
    // only the note that the new volume is created by the live commands, not by the compiled bid
    expect(honoured.codes).toEqual(["FCP015@6:11"]);
    expect(honoured.bids).toHaveLength(1);
    const out = lower(
      "name: t\ninstance_type: a100\nmax_price_per_hour: 1\nregion: eu-central1-a\nvolumes: [{size_gb: 1}, {volume_id: vol_x}]\nmin_run_time_hours: 1\ndeadline_hours: 2\ndata_mounts: [{source: s3://b, target: /d}]\nssh_keys: [my-laptop]\n",
      { project: "proj_x" },
    );
    expect(out.codes).toEqual([
      "FCP013@1:1",
      "FCP012@5:11",
      "FCP012@5:25",
      "FCP012@6:1",
      "FCP012@7:1",
      "FCP006@8:1",
      "FCP017@9:12",
    ]);
    expect(out.bids).toHaveLength(1);
  });

  test("an array's max_running is warned only when it limits something", () => {
    const job = (limit: number) =>
      `name: t\ninstance_type: a100\nmax_price_per_hour: 1\nregion: eu-central1-a\nupload_code: false\ncommand: [x]\narray: {task_ids: [0, 1, 2], max_running: ${limit}}\n`;
    expect(lower(job(2), { project: "proj_x" }).codes).toEqual(["FCP016@7:43"]);
    expect(lower(job(3), { project: "proj_x" }).codes).toEqual([]);
  });

  test("existing volume ids go into the bid", () => {
    const out = lower(
      `${BASE}instance_type: a100\nregion: eu-central1-a\nmax_price_per_hour: 1\nvolumes: [{volume_id: vol_abc, mount_path: /d}]\n`,
      {
        project: "proj_x",
      },
    );
    expect(out.bids[0]?.launch_specification.volumes).toEqual(["vol_abc"]);
  });

  test("an over-limit script fails the lowering with FCP001 and no bid", () => {
    const out = lower(`${BASE}instance_type: a100\nregion: eu-central1-a\nmax_price_per_hour: 1\n`, {
      scriptLimit: 50,
    });
    expect(out.bids).toEqual([]);
    expect(out.codes).toContain("FCP001");
  });

  test("a per-node requirement the chosen type cannot meet is FCP008 at the requirement", () => {
    const out = lower(
      `${BASE}instance_type: a100\nregion: eu-central1-a\nmax_price_per_hour: 1\nmin_cpus_per_node: 64\nmin_memory_gb_per_node: 2000\n`,
    );
    expect(out.codes).toEqual(["FCP008@6:20", "FCP008@7:25", "FCP005"]);
    expect(out.bids).toEqual([]);
  });

  test("an array gives one bid and one script per task id; non-SLURM tasks learn it as FLOW_ARRAY_TASK_ID", () => {
    const out = lower(
      `${BASE}instance_type: a100\nregion: eu-central1-a\nmax_price_per_hour: 1\narray: {task_ids: [0, 5]}\n`,
      {
        project: "proj_x",
      },
    );
    expect(out.bids.map((b) => b.name)).toEqual(["t-0", "t-5"]);
    expect(out.startupScripts[0]?.text).toContain("export FLOW_ARRAY_TASK_ID=0");
    expect(out.startupScripts[1]?.text).toContain("export FLOW_ARRAY_TASK_ID=5");
    expect(out.bids[1]?.launch_specification.startup_script).toBe(out.startupScripts[1]?.text);
  });
});
