/** Spec §3.5: heterogeneous-job separators, which flow rejects, with sbatch's quirks honoured. */
import { describe, expect, test } from "vitest";
import { read, SH, the } from "./read-helper.ts";

describe("hetjob and packjob (spec §3.5)", () => {
  test("`#SBATCH hetjob` starts a component: an error; only component 0 is applied", () => {
    const { codes, values, reading } = read(`${SH}#SBATCH -N 1 -t 5\n#SBATCH hetjob\n#SBATCH -N 4\n`);
    expect(codes).toEqual(["SBATCH015@3:9"]);
    expect(the(reading, "SBATCH015").severity).toBe("error");
    expect(values).toEqual({ nodes: "1", time: "5" });
  });

  test.each(["packjob", "HETJOB", "PackJob"])("`%s` is a separator too (any case)", (word) => {
    const { codes, reading } = read(`${SH}#SBATCH ${word}\n`);
    expect(codes).toEqual(["SBATCH015@2:9"]);
    if (word.toLowerCase() === "packjob") expect(the(reading, "SBATCH015").message).toContain("deprecated");
  });

  test("`#SBATCH hetjob -N2`: the rest of the line is dropped, and the diagnostic says so", () => {
    const { reading, slice } = read(`${SH}#SBATCH hetjob -N2\n`);
    const d = the(reading, "SBATCH015");
    expect(slice(d.notes[0]?.span)).toBe("-N2");
    expect(d.notes[0]?.message).toContain("drops the rest of this line");
  });

  test("`#SBATCH -N1 hetjob`: the later keyword silently disappears in sbatch; flow warns", () => {
    const { codes, values, reading } = read(`${SH}#SBATCH -N1 hetjob -n 2\n`);
    expect(codes).toEqual(["SBATCH015@2:13"]);
    expect(the(reading, "SBATCH015").severity).toBe("warning");
    expect(values).toEqual({ nodes: "1", ntasks: "2" });
  });

  test("errors in later components are still reported; their options are not applied", () => {
    const { codes, values } = read(`${SH}#SBATCH -N 1\n#SBATCH hetjob\n#SBATCH --bogus --time\n`);
    expect(codes).toEqual(["SBATCH015@3:9", "SBATCH009@4:9", "SBATCH011@4:17"]);
    expect(values).toEqual({ nodes: "1" });
  });

  test("each component is its own argv: a value is not taken across the separator", () => {
    expect(read(`${SH}#SBATCH --job-name\n#SBATCH hetjob\n#SBATCH x\n`).codes).toEqual([
      "SBATCH011@2:9",
      "SBATCH015@3:9",
      "SBATCH013@4:9",
    ]);
  });

  test("a word that merely contains the keyword is an ordinary word", () => {
    expect(read(`${SH}#SBATCH --job-name=hetjob_test -o packjob.log\n`).values).toEqual({
      "job-name": "hetjob_test",
      output: "packjob.log",
    });
  });
});
