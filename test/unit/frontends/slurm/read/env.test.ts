/** Spec §9 (and §1's precedence): SBATCH_* input variables override the directives. */
import { describe, expect, test } from "vitest";
import { read, SH, the } from "./read-helper.ts";

describe("SBATCH_* input variables (spec §9)", () => {
  test("an env value beats a directive; SBATCH014 at the directive; the occurrence has no place of its own", () => {
    const { values, codes, reading, slice } = read(`${SH}#SBATCH -t 60\n`, {
      env: { SBATCH_TIMELIMIT: "30" },
    });
    expect(values).toEqual({ time: "30" });
    expect(codes).toEqual(["SBATCH014@2:9"]);
    expect(the(reading, "SBATCH014").message).toContain(
      "`SBATCH_TIMELIMIT=30` from the environment overrides",
    );
    const o = reading.effective.get("time")!;
    expect(o).toMatchObject({
      source: "env",
      written: "SBATCH_TIMELIMIT",
      value: "30",
      line: -1,
      nameSpan: undefined,
      valueSpan: undefined,
    });
    expect(slice(o.span)).toBe("-t 60");
    expect(reading.occurrences.map((x) => x.source)).toEqual(["directive", "env"]);
  });

  test("without a directive to override, an env occurrence has no span", () => {
    const { values, reading, codes } = read(`${SH}#SBATCH -N 1\n`, {
      env: { SBATCH_PARTITION: "gpu", SBATCH_MEM_PER_NODE: "4G" },
    });
    expect(values).toEqual({ nodes: "1", partition: "gpu", mem: "4G" });
    expect(reading.effective.get("partition")?.span).toBeUndefined();
    expect(codes).toEqual([]);
  });

  test("names that differ from the option: SBATCH_MEM_PER_NODE is --mem, SBATCH_ARRAY_INX is --array", () => {
    expect(
      read(SH, { env: { SBATCH_MEM_PER_NODE: "8G", SBATCH_ARRAY_INX: "1-3", SLURM_HINT: "nomultithread" } })
        .values,
    ).toEqual({
      mem: "8G",
      array: "1-3",
      hint: "nomultithread",
    });
  });

  test("variables sbatch does not read change nothing, and are warned about (there is no SBATCH_NODES)", () => {
    const { values, codes } = read(`${SH}#SBATCH -N 2\n`, {
      env: { SBATCH_NODES: "4", SBATCH_TIME: "5", PATH: "/bin", SBATCH_GPUS: undefined },
    });
    expect(values).toEqual({ nodes: "2" });
    expect(codes).toEqual(["SBATCH036", "SBATCH036"]);
  });

  test("a flag is on for an empty value, yes, or a non-zero number", () => {
    for (const v of ["", "yes", "YES", "1", "-2"])
      expect(read(SH, { env: { SBATCH_OVERCOMMIT: v } }).values).toEqual({ overcommit: null });
  });

  test("any other value turns a flag off — also one set by a directive", () => {
    expect(read(SH, { env: { SBATCH_OVERCOMMIT: "no" } }).values).toEqual({});
    const { values, codes, reading } = read(`${SH}#SBATCH -O\n`, { env: { SBATCH_OVERCOMMIT: "0" } });
    expect(values).toEqual({});
    expect(codes).toEqual(["SBATCH014@2:9"]);
    expect(the(reading, "SBATCH014").message).toContain("turns `-O` off");
  });

  test("an optional argument is absent when the value is empty", () => {
    expect(read(SH, { env: { SBATCH_EXCLUSIVE: "" } }).values).toEqual({ exclusive: null });
    expect(read(SH, { env: { SBATCH_EXCLUSIVE: "user" } }).values).toEqual({ exclusive: "user" });
  });

  test("SBATCH_REQUEUE overrides a directive --no-requeue (one field)", () => {
    const { values, codes } = read(`${SH}#SBATCH --no-requeue\n`, { env: { SBATCH_REQUEUE: "expedite" } });
    expect(values).toEqual({ requeue: "expedite" });
    expect(codes).toEqual(["SBATCH014@2:9"]);
  });

  test("variables sbatch reads without an option are reported as ignored", () => {
    const { codes } = read(SH, { env: { SBATCH_REQ_SWITCH: "2", SBATCH_POWER: "x" } });
    expect(codes).toEqual(["SBATCH020", "SBATCH020"]);
  });

  test("SBATCH_DEBUG raises verbosity (an early option honoured from the environment)", () => {
    expect(read(SH, { env: { SBATCH_DEBUG: "2" } }).values).toEqual({ verbose: null });
  });
});

describe("SBATCH_* variables sbatch does not read", () => {
  test("are warned about, with the variable meant", () => {
    const { reading, values } = read(`${SH}#SBATCH -t 60\necho hi\n`, {
      env: { SBATCH_TIME: "30", SBATCH_TIMELIMIT: "20", HOME: "/root" },
    });
    const unknown = reading.diagnostics.filter((d) => d.code === "SBATCH036");
    expect(unknown.map((d) => d.message)).toEqual([
      "`SBATCH_TIME` is not an input variable sbatch reads: it changes nothing",
    ]);
    expect(unknown[0]?.suggestions[0]?.replacement).toBe("SBATCH_TIMELIMIT");
    expect(values).toMatchObject({ time: "20" });
  });
});
