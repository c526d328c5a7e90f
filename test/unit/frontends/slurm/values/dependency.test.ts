import { describe, expect, test } from "vitest";
import { parseDependency } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

describe("--dependency (spec §8.10)", () => {
  test("types with one or more job ids", () => {
    expect(accepted(parseDependency("afterok:123:456"))).toEqual({
      op: "and",
      items: [{ kind: "afterok", jobs: [{ jobId: 123 }, { jobId: 456 }] }],
    });
    for (const kind of ["after", "afterany", "afterok", "afternotok", "aftercorr", "afterburstbuffer"]) {
      expect(accepted(parseDependency(`${kind}:7`)).items).toEqual([{ kind, jobs: [{ jobId: 7 }] }]);
    }
    expect(accepted(parseDependency("AfterOK:5")).items).toEqual([{ kind: "afterok", jobs: [{ jobId: 5 }] }]);
  });

  test("job references: array task, +minutes, (state)", () => {
    expect(accepted(parseDependency("after:5+10")).items).toEqual([
      { kind: "after", jobs: [{ jobId: 5, minutes: 10 }] },
    ]);
    expect(accepted(parseDependency("afterany:12_*")).items).toEqual([
      { kind: "afterany", jobs: [{ jobId: 12, arrayTask: "*" }] },
    ]);
    expect(accepted(parseDependency("aftercorr:12_3")).items).toEqual([
      { kind: "aftercorr", jobs: [{ jobId: 12, arrayTask: 3 }] },
    ]);
    expect(accepted(parseDependency("afterok:1(failed)")).items).toEqual([
      { kind: "afterok", jobs: [{ jobId: 1, state: "failed" }] },
    ]);
  });

  test("singleton, `,` is AND and `?` is OR, never both", () => {
    expect(accepted(parseDependency("singleton"))).toEqual({ op: "and", items: [{ kind: "singleton" }] });
    expect(accepted(parseDependency("SINGLETON")).items).toEqual([{ kind: "singleton" }]);
    expect(accepted(parseDependency("afterok:1,singleton")).op).toBe("and");
    expect(accepted(parseDependency("afterok:1?afternotok:2"))).toEqual({
      op: "or",
      items: [
        { kind: "afterok", jobs: [{ jobId: 1 }] },
        { kind: "afternotok", jobs: [{ jobId: 2 }] },
      ],
    });
    expect(rejected(parseDependency("afterok:1,afterany:2?afterok:3")).message).toBe(
      "`afterok:1,afterany:2?afterok:3` mixes `,` (all must hold) and `?` (any may hold): use one kind of separator",
    );
  });

  test("a bare job id is the legacy afterany, only with `,`", () => {
    expect(accepted(parseDependency("1,2")).items).toEqual([
      { kind: "afterany", jobs: [{ jobId: 1 }], legacy: true },
      { kind: "afterany", jobs: [{ jobId: 2 }], legacy: true },
    ]);
    expect(notesOf(parseDependency("7,8"))).toEqual([
      "a bare job id is the legacy form of `afterany:<jobid>`",
    ]);
    expect(rejected(parseDependency("1?2"))).toEqual({
      ok: false,
      message: "`1`: a bare job id is only allowed in a `,` list; write `afterany:1`",
      suggestions: ["afterany:1?afterany:2"],
    });
  });

  test("empty and 0 clear the dependency", () => {
    expect(accepted(parseDependency(""))).toEqual({ op: "and", items: [] });
    expect(accepted(parseDependency("0"))).toEqual({ op: "and", items: [] });
  });

  test("errors: unknown types, missing ids, placeholders", () => {
    expect(rejected(parseDependency("after_ok:5")).suggestions).toEqual(["afterok:5"]);
    expect(rejected(parseDependency("afterok")).message).toBe(
      "`afterok` names no job: write `afterok:<jobid>`",
    );
    rejected(parseDependency("afterok:"));
    rejected(parseDependency("afterok:1,"));
    rejected(parseDependency("afterok:0"));
    rejected(parseDependency("afterok:99999999999"));
    expect(rejected(parseDependency("afterok:$JOBID")).message).toBe(
      "`$JOBID` in `afterok:$JOBID` is not a job id: it looks like a template placeholder or shell variable: sbatch does not expand variables in `#SBATCH` lines, so it receives this text literally, and the job to wait for has to be known when the script is submitted",
    );
    expect(rejected(parseDependency("foo:1")).message).toBe(
      "`foo:1` is not a dependency: use `singleton` or one of `after`, `afterany`, `afterok`, `afternotok`, `aftercorr`, `afterburstbuffer` followed by `:jobid`",
    );
    expect(rejected(parseDependency("afterok:\uff11")).suggestions).toEqual(["afterok:1"]);
  });
});
