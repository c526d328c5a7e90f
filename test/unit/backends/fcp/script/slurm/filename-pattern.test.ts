/**
 * Each pattern's shell word is evaluated by real bash, with the node-dependent variables set, so
 * the tests check the path a node would open, not the text of the word.
 */
import { spawnSync } from "node:child_process";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type FilenamePatternFacts,
  filenamePatternWord,
} from "../../../../../../src/backends/fcp/script/slurm/filename-pattern.ts";

const JOB: FilenamePatternFacts = {
  jobId: 128,
  jobName: "train",
  arrayJobId: undefined,
  arrayTaskId: undefined,
};
const ARRAY: FilenamePatternFacts = { jobId: 4418, jobName: "train", arrayJobId: 4411, arrayTaskId: 7 };
const NODE = { SLURMD_NODENAME: "gpu-02", SLURM_NODEID: "1", SLURM_JOB_USER: "root" };

/** The path bash makes of the word for `pattern`. */
function path(pattern: string, facts = JOB, dir?: string): string {
  const word = filenamePatternWord(pattern, facts, dir);
  const result = spawnSync("bash", ["-c", `set -eu; printf %s ${word}`], {
    env: { ...NODE, PATH: "/usr/bin:/bin" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`bash failed on ${word}: ${result.stderr}`);
  return result.stdout;
}

describe("filenamePatternWord", () => {
  it("agrees with the frontend's reading of every pattern it accepts (one grammar): %S is the job id", () => {
    expect(path("%S.out")).toBe("128.out");
    expect(path("a%q%5x%12")).toBe("a%qtrain%12"); // widths do not pad text fields
    expect(path("end%")).toBe("end");
    expect(path("%5N-%3n", JOB)).toBe("gpu-02-001");
  });

  it("expands the examples of spec/slurm.md §8.8", () => {
    expect(path("job%4j.out")).toBe("job0128.out");
    expect(path("%x-%A_%a.log", ARRAY)).toBe("train-4411_7.log");
    expect(path("slurm-%j.out")).toBe("slurm-128.out");
  });

  it("substitutes every field", () => {
    expect(path("%j %J %A %a %b %x %s %t %r %%", ARRAY)).toBe("4418 4418 4411 7 7 train batch 0 0 %");
    expect(path("%N %n %u")).toBe("gpu-02 1 root");
  });

  it("gives a job that is not an array SLURM's no-value index", () => {
    expect(path("%A_%a_%b")).toBe("128_4294967294_4");
  });

  it("pads numbers, caps the width at 10 and ignores it for text", () => {
    expect(path("%3n-%5x-%12j")).toBe("001-train-0000000128");
    expect(path("%2a", ARRAY)).toBe("07");
  });

  it("keeps unknown fields and drops a lone % at the end", () => {
    expect(path("a%qb%5qc%")).toBe("a%qb%5qc");
    expect(path("x%12")).toBe("x%12");
    expect(path("%-")).toBe("%-");
  });

  it("takes a pattern with a backslash literally, without the backslashes", () => {
    expect(path("out\\%j.log")).toBe("out%j.log");
  });

  it("maps none to /dev/null", () => {
    expect(path("none")).toBe("/dev/null");
    expect(path("NONE", JOB, "/w")).toBe("/dev/null");
  });

  it("joins relative paths to the working directory", () => {
    expect(path("logs/%j.out", JOB, "/work dir")).toBe("/work dir/logs/128.out");
    expect(path("%N.out", JOB, "/w/")).toBe("/w/gpu-02.out");
    expect(path("/abs/%j", JOB, "/w")).toBe("/abs/128");
    expect(path("rel", JOB, undefined)).toBe("rel");
    // made absolute before expansion (spec §8.8 step 2): a job name starting with "/" stays inside
    expect(path("%x.out", { ...JOB, jobName: "/tmp/named" }, "/w")).toBe("/w//tmp/named.out");
    expect(path("none", JOB, "/w")).toBe("/dev/null");
  });

  it("never lets a job name become shell code", () => {
    const facts = { ...JOB, jobName: `$(touch /tmp/flow-pwned) 'q' "d" \`id\` *` };
    expect(path("%x.out", facts)).toBe(`${facts.jobName}.out`);
  });

  test.prop([
    fc.string({ unit: fc.constantFrom("%", "j", "x", "N", "n", "3", "a", "/", " ", "'", "$", "-") }),
  ])("always yields one word that bash accepts", (pattern) => {
    expect(() => path(pattern, ARRAY, "/w")).not.toThrow();
  });
});
