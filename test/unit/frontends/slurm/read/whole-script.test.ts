/** Spec §2: whole-script checks. */
import { describe, expect, test } from "vitest";
import { read, SH, the } from "./read-helper.ts";

describe("whole-script checks (spec §2)", () => {
  test("an empty script is an error and nothing is read", () => {
    const { codes, reading } = read("");
    expect(codes).toEqual(["SBATCH001@1:1"]);
    expect(reading.occurrences).toEqual([]);
    expect(reading.firstCommandLine).toBeUndefined();
  });

  test("a script of blanks only is an error", () => {
    const { codes, reading } = read(" \n\t\r\n \n");
    expect(codes).toEqual(["SBATCH001@1:1"]);
    expect(the(reading, "SBATCH001").message).toContain("only blanks");
  });

  test("no `#!` first: a warning saying sbatch rejects it and flow accepts it; directives still read", () => {
    const { codes, reading, values } = read("#SBATCH -N 2\necho hi\n");
    expect(codes).toEqual(["SBATCH002@1:1"]);
    const d = the(reading, "SBATCH002");
    expect(d.severity).toBe("warning");
    expect(d.message).toMatch(/sbatch rejects it.*flow accepts it/);
    expect(values).toEqual({ nodes: "2" });
    expect(reading.interpreter).toBeUndefined();
  });

  test("a byte-order mark before `#!` fails sbatch's check too; flow reads on past it", () => {
    const { codes, reading, values } = read("\uFEFF#!/bin/bash\n#SBATCH -N 1\n");
    expect(codes).toEqual(["SBATCH002@1:1"]);
    expect(the(reading, "SBATCH002").message).toContain("byte-order mark");
    expect(the(reading, "SBATCH002").suggestions[0]?.replacement).toBe("");
    expect(reading.interpreter).toBe("/bin/bash");
    expect(values).toEqual({ nodes: "1" });
  });

  test("the interpreter is the rest of the `#!` line", () => {
    expect(read("#!/bin/bash\n").reading.interpreter).toBe("/bin/bash");
    expect(read("#! /usr/bin/env bash -l \r\n").reading.interpreter).toBe("/usr/bin/env bash -l");
    expect(read("#!\n#SBATCH -N 1\n").reading.interpreter).toBeUndefined();
  });

  test("CRLF: one warning at the first CR; values and spans are as if the line ends were LF", () => {
    const text =
      '#!/bin/bash\r\n#SBATCH --job-name=a\r\n#SBATCH -t 10 \\\r\n#SBATCH --comment="x y"\r\necho\r\n';
    const { codes, values, reading, slice } = read(text);
    expect(codes).toEqual(["SBATCH003@1:12"]);
    expect(the(reading, "SBATCH003").severity).toBe("warning");
    expect(values).toEqual({ "job-name": "a", time: "10", comment: "x y" });
    expect(reading.occurrences.map((o) => slice(o.valueSpan))).toEqual(["a", "10", '"x y"']);
    expect(reading.interpreter).toBe("/bin/bash");
    expect(reading.firstCommandLine).toBe(4);
  });

  test("a NUL byte is an error at the byte; the rest is still read", () => {
    const { codes, values } = read(`${SH}#SBATCH -J a\0b\n`);
    expect(codes).toEqual(["SBATCH004@2:13"]);
    expect(values).toEqual({ "job-name": "a\0b" });
  });
});
