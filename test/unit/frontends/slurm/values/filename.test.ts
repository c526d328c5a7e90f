import { describe, expect, test } from "vitest";
import {
  expandFilename,
  type FilenameVars,
  parseFilename,
  printFilename,
} from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

const plain: FilenameVars = {
  jobId: 128,
  jobName: "train",
  nodeName: "node7",
  user: "ada",
  nodeId: 0,
  taskId: 0,
};
const arrayTask: FilenameVars = { ...plain, jobId: 4412, arrayJobId: 4411, arrayTaskId: 7 };
const expand = (text: string, vars: FilenameVars = plain) =>
  expandFilename(accepted(parseFilename(text)), vars);

describe("file-name patterns (spec §8.8)", () => {
  test("the spec's examples", () => {
    expect(expand("job%4j.out")).toBe("job0128.out");
    expect(expand("%x-%A_%a.log", arrayTask)).toBe("train-4411_7.log");
  });

  test("tricky case 27: %a of a non-array job is 4294967294, %A the job id", () => {
    expect(expand("logs/%x_%A_%a.out")).toBe("logs/train_128_4294967294.out");
  });

  test("every field", () => {
    expect(expand("%j|%J|%A|%a|%b|%s|%N|%n|%t|%u|%x|%r|%S", arrayTask)).toBe(
      "4412|4412|4411|7|7|batch|node7|0|0|ada|train|0|4412",
    );
    expect(expand("%b")).toBe("4");
    expect(expand("%r", { ...plain, restartCount: 3 })).toBe("3");
  });

  test("%% is %, unknown letters stay, a lone trailing % is dropped", () => {
    expect(expand("a%%j")).toBe("a%j");
    expect(expand("%q-%5q-%Y")).toBe("%q-%5q-%Y");
    expect(notesOf(parseFilename("%Y-%m-%d"))).toEqual([
      "`%Y` is not a file-name pattern: sbatch keeps it literally",
      "`%m` is not a file-name pattern: sbatch keeps it literally",
      "`%d` is not a file-name pattern: sbatch keeps it literally",
    ]);
    expect(expand("out%")).toBe("out");
    expect(notesOf(parseFilename("out%"))).toEqual(["the `%` at the end of `out%` is dropped by sbatch"]);
    expect(expand("%5")).toBe("%5");
  });

  test("padding: widths above 9 act as 10; text fields ignore it", () => {
    expect(expand("%12j")).toBe("0000000128");
    expect(accepted(parseFilename("%12j")).parts).toEqual([{ kind: "field", field: "j", pad: 10 }]);
    expect(expand("%3x")).toBe("train");
    expect(expand("%03a", arrayTask)).toBe("007");
    expect(expand("%0j")).toBe("128");
  });

  test("tricky case 29: any backslash switches substitution off", () => {
    const template = accepted(parseFilename("out\\%j.log"));
    expect(template).toEqual({ parts: [{ kind: "text", text: "out%j.log" }] });
    expect(notesOf(parseFilename("out\\%j.log"))).toEqual([
      "`out\\%j.log` contains a backslash: sbatch removes the backslashes and expands no `%` pattern in it",
    ]);
    expect(expand("a\\b%j")).toBe("ab%j");
  });

  test("none is /dev/null; empty is an error", () => {
    expect(expand("none")).toBe("/dev/null");
    expect(expand("NoNe")).toBe("/dev/null");
    expect(rejected(parseFilename("")).message).toBe(
      "the file name is empty: write a path such as `slurm-%j.out`, or `none`",
    );
    expect(rejected(parseFilename("%")).message).toBe("`%` expands to an empty file name");
  });

  test("adjacent text merges, so equal names have equal templates", () => {
    expect(accepted(parseFilename("a%%b%qc"))).toEqual({ parts: [{ kind: "text", text: "a%b%qc" }] });
  });

  test("printFilename inverts parseFilename", () => {
    for (const text of ["job%4j.out", "%x-%A_%a.log", "a%%b", "%q", "100%%", "ü/%N.%u"]) {
      const template = accepted(parseFilename(text));
      expect(accepted(parseFilename(printFilename(template)))).toEqual(template);
    }
    expect(printFilename(accepted(parseFilename("a%qb")))).toBe("a%%qb");
  });
});
