import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  compressCounts,
  slurmJobFacts,
  stableJobId,
  taskLayout,
} from "../../../../../../src/backends/fcp/script/slurm/job.ts";

describe("stableJobId", () => {
  it("is a fixed decimal integer per name", () => {
    expect(stableJobId("train")).toBe(945122410);
    expect(stableJobId("train")).toBe(stableJobId("train"));
    expect(stableJobId("train")).not.toBe(stableJobId("train2"));
  });

  test.prop([fc.string({ minLength: 1, maxLength: 64 })])("stays within [1, 2^30]", (name) => {
    const id = stableJobId(name);
    expect(Number.isInteger(id)).toBe(true);
    expect(id).toBeGreaterThanOrEqual(1);
    expect(id).toBeLessThanOrEqual(2 ** 30);
  });

  /** The definition: FNV-1a over the bytes a TextEncoder produces (lone surrogates → U+FFFD). */
  function reference(name: string): number {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(name)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return 1 + (hash % 2 ** 30);
  }

  it("hashes the UTF-8 bytes of non-ASCII names", () => {
    for (const name of ["é", "日本語", "emoji-😀", "lone-\ud800", "\udc00-lone", "mixed-ü😀x"]) {
      expect(stableJobId(name)).toBe(reference(name));
    }
  });

  test.prop([fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }))])(
    "equals FNV-1a of the TextEncoder bytes for any string",
    (name) => {
      expect(stableJobId(name)).toBe(reference(name));
    },
  );
});

describe("taskLayout", () => {
  it("follows SLURM's block distribution", () => {
    expect(taskLayout(2, 8)).toEqual([4, 4]);
    expect(taskLayout(2, 5)).toEqual([3, 2]);
    expect(taskLayout(3, 5, 2)).toEqual([2, 2, 1]);
    expect(taskLayout(2, undefined, 4)).toEqual([4, 4]);
    expect(taskLayout(3)).toEqual([1, 1, 1]);
    expect(taskLayout(1, 7)).toEqual([7]);
  });

  it("lets the total win over a per-node count that cannot hold it", () => {
    expect(taskLayout(2, 10, 2)).toEqual([5, 5]);
  });

  test.prop([
    fc.integer({ min: 1, max: 16 }),
    fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
    fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  ])("places every task exactly once, on consecutive nodes", (nodes, ntasks, perNode) => {
    const counts = taskLayout(nodes, ntasks, perNode);
    expect(counts).toHaveLength(nodes);
    const total = ntasks ?? (perNode === undefined ? nodes : perNode * nodes);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(counts.every((c) => c >= 0)).toBe(true);
  });
});

describe("compressCounts", () => {
  it("writes runs as N(xM)", () => {
    expect(compressCounts([2, 2, 2, 1])).toBe("2(x3),1");
    expect(compressCounts([8, 8])).toBe("8(x2)");
    expect(compressCounts([3])).toBe("3");
    expect(compressCounts([1, 2, 1])).toBe("1,2,1");
  });
});

describe("slurmJobFacts", () => {
  it("describes a plain job", () => {
    expect(
      slurmJobFacts({ name: "train", num_instances: 2, slurm: { ntasks_per_node: 4, job_name: "my job" } }),
    ).toEqual({
      jobId: 945122410,
      array: undefined,
      jobName: "my job",
      nodes: 2,
      ntasks: 8,
      taskCounts: [4, 4],
    });
  });

  it("leaves SLURM_NTASKS unset when neither -n nor --ntasks-per-node was given", () => {
    const facts = slurmJobFacts({ name: "t", num_instances: 3, slurm: {} });
    expect(facts.ntasks).toBeUndefined();
    expect(facts.taskCounts).toEqual([1, 1, 1]);
    expect(facts.jobName).toBe("t");
  });

  it("numbers array tasks from the array job id, as SLURM splits them off", () => {
    const task = { name: "sweep", slurm: {}, array: { task_ids: [9, 1, 5, 5] } };
    const base = stableJobId("sweep");
    expect(slurmJobFacts(task, 1)).toMatchObject({
      jobId: base,
      array: { jobId: base, taskId: 1, count: 3, min: 1, max: 9, step: 4 },
    });
    expect(slurmJobFacts(task, 9).jobId).toBe(base + 2);
    expect(slurmJobFacts({ ...task, array: { task_ids: [0, 1, 5] } }, 5).array!.step).toBe(1);
    expect(slurmJobFacts({ ...task, array: { task_ids: [7] } }, 7).array).toMatchObject({
      count: 1,
      step: 1,
    });
  });

  it("refuses an array task without its id, or with a foreign one", () => {
    const task = { name: "sweep", slurm: {}, array: { task_ids: [0, 1] } };
    expect(() => slurmJobFacts(task)).toThrow(/arrayTaskId/);
    expect(() => slurmJobFacts(task, 2)).toThrow(/not one of/);
    expect(() => slurmJobFacts({ name: "t", slurm: {} }, 0)).toThrow(/not one of/);
  });
});
