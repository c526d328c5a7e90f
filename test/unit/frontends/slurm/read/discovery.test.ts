/** Spec §3.1–§3.4 and §3.6: which lines are directives, where scanning stops, foreign directives. */
import { describe, expect, test } from "vitest";
import { read, SH, the } from "./read-helper.ts";

describe("what counts as a directive (spec §3.2)", () => {
  test("D1: `#SBATCH` in column 0, case-sensitive", () => {
    const { values, codes } = read(`${SH}#SBATCH --time=10\n`);
    expect(values).toEqual({ time: "10" });
    expect(codes).toEqual([]);
  });

  test.each([
    ["  #SBATCH --time=10", "indented"],
    ["\t#SBATCH --time=10", "indented"],
    ["#sbatch --time=10", "case-sensitive"],
    ["#Sbatch --time=10", "case-sensitive"],
    ["# SBATCH --time=10", "blank after `#`"],
    ["##SBATCH --time=10", "disable a directive"],
    ["#  #SBATCH --time=10", "disable a directive"],
  ])("D1: `%s` is a comment; SBATCH005 says why (%s)", (line, why) => {
    const { values, codes, reading } = read(`${SH}${line}\n#SBATCH -N 1\n`);
    expect(values).toEqual({ nodes: "1" });
    expect(codes).toEqual(["SBATCH005@2:1"]);
    const d = the(reading, "SBATCH005");
    expect(d.severity).toBe("info");
    expect(d.message).toContain("sbatch does not read this line as a directive");
    expect(d.message).toContain(why);
  });

  test("a look-alike gets a suggestion that replaces its prefix, except `##SBATCH` (deliberately disabled)", () => {
    const { reading, slice } = read(`${SH}  # sbatch -N 2\n##SBATCH -N 3\n`);
    const [first, second] = reading.diagnostics;
    expect(first?.suggestions[0]?.replacement).toBe("#SBATCH");
    expect(slice(first?.suggestions[0]?.span)).toBe("  # sbatch");
    expect(second?.suggestions).toEqual([]);
  });

  test("prose comments that mention sbatch or slurm are not look-alikes", () => {
    const { codes } = read(`${SH}# sbatch run.sh to submit\n# SLURM settings below\n#SBATCH -N 1\n`);
    expect(codes).toEqual([]);
  });

  test("D2: `#SLURM` is read, with a warning and a fix", () => {
    const { values, codes, reading, slice } = read(`${SH}#SLURM --time=5\n`);
    expect(values).toEqual({ time: "5" });
    expect(codes).toEqual(["SBATCH006@2:1"]);
    expect(slice(the(reading, "SBATCH006").span)).toBe("#SLURM");
    expect(the(reading, "SBATCH006").suggestions[0]?.replacement).toBe("#SBATCH");
  });

  test("D3: zero or more blanks after the prefix", () => {
    expect(read(`${SH}#SBATCH--time=5\n#SBATCH\t\t-N\t2\n`).values).toEqual({ time: "5", nodes: "2" });
  });

  test("D3: `#SBATCHX` is a directive whose word `X` is a stray word", () => {
    const { codes, reading } = read(`${SH}#SBATCHX\n`);
    expect(codes).toEqual(["SBATCH013@2:8"]);
    expect(the(reading, "SBATCH013").notes[0]?.message).toContain(
      "reads as the directive prefix `#SBATCH` followed by `X`",
    );
  });

  test("D3: `#SBATCH_OLD --time=5` fails like in sbatch: `_OLD` is a stray word", () => {
    const { codes, values } = read(`${SH}#SBATCH_OLD --time=5\n`);
    expect(codes).toEqual(["SBATCH013@2:8"]);
    expect(values).toEqual({});
  });

  test("D3: `#SLURM settings` is a directive too", () => {
    const { codes, reading } = read(`${SH}#SLURM settings\n`);
    expect(codes).toEqual(["SBATCH006@2:1", "SBATCH013@2:8"]);
    expect(the(reading, "SBATCH013").notes[0]?.message).toContain("write `# SLURM` for a comment");
  });

  test("D4: an empty directive is harmless", () => {
    const { codes, values } = read(`${SH}#SBATCH\n#SBATCH   \n#SBATCH # only a comment\n#SBATCH -N 1\n`);
    expect(codes).toEqual([]);
    expect(values).toEqual({ nodes: "1" });
  });

  test("D5: the shebang is a comment and scanning continues past it", () => {
    expect(read("#!/bin/bash\n#SBATCH -N 3\n").values).toEqual({ nodes: "3" });
  });
});

describe("where scanning stops (spec §3.3)", () => {
  test("blank lines and comments are skipped; the first other line stops the scan", () => {
    const { values, reading, codes } = read(
      `${SH}\n   \n# a comment\n  # indented\n#SBATCH -N 1\n\nmodule load cuda\n#SBATCH -N 9\n`,
    );
    expect(values).toEqual({ nodes: "1" });
    expect(reading.firstCommandLine).toBe(7);
    expect(codes).toEqual(["SBATCH005@9:1"]);
  });

  test("`#SBATCH` after the first command: SBATCH005 saying so, with a note at the command", () => {
    const { reading, slice } = read(`${SH}set -e\n#SBATCH --time=10\n`);
    const d = the(reading, "SBATCH005");
    expect(d.message).toContain("after the first command (line 2)");
    expect(slice(d.notes[0]?.span)).toBe("set -e");
    expect(slice(d.span)).toBe("#SBATCH --time=10");
  });

  test.each([":", "export A=1", "cd dir", '"quoted" command', "if true; then", "cat <<EOF"])(
    "`%s` is a command",
    (command) => {
      const { values, reading } = read(`${SH}${command}\n#SBATCH -N 2\n`);
      expect(values).toEqual({});
      expect(reading.firstCommandLine).toBe(1);
    },
  );

  test("look-alike lines after the first command are reported too, including indented ones in heredocs", () => {
    const { codes } = read(
      `${SH}cat > job.sh <<EOF\n#SBATCH -N 2\n  #SBATCH -n 4\n# SBATCH --mem=1G\n#SLURM -t 5\n# just a comment\nEOF\n`,
    );
    expect(codes).toEqual(["SBATCH005@3:1", "SBATCH005@4:3", "SBATCH005@5:1", "SBATCH005@6:1"]);
  });

  test("a script with no command has no firstCommandLine", () => {
    expect(read(`${SH}#SBATCH -N 1\n`).reading.firstCommandLine).toBeUndefined();
  });

  test("a bare CR is a blank for sbatch, not a line end", () => {
    const { values, codes } = read(`${SH}#SBATCH -N 1\r-n 4\n`);
    expect(values).toEqual({ nodes: "1", ntasks: "4" });
    expect(codes).toEqual([]);
  });
});

describe("several options per line and across lines (spec §3.4)", () => {
  test("the words of all directive lines form one argv", () => {
    expect(read(`${SH}#SBATCH -N 2 -n 16\n#SBATCH --mem=4G --time 10\n`).values).toEqual({
      nodes: "2",
      ntasks: "16",
      mem: "4G",
      time: "10",
    });
  });

  test("a separate value may come from the next directive line; its spans are on that line", () => {
    const { values, reading, slice, codes } = read(`${SH}#SBATCH --job-name\n#SBATCH myjob\n`);
    expect(values).toEqual({ "job-name": "myjob" });
    expect(codes).toEqual([]);
    const o = reading.effective.get("job-name")!;
    expect(slice(o.nameSpan)).toBe("--job-name");
    expect(slice(o.valueSpan)).toBe("myjob");
    expect(o.line).toBe(1);
    expect(slice(o.span)).toBe("--job-name\n#SBATCH myjob");
  });

  test("a trailing backslash is not a continuation: the next line is a command", () => {
    const { values, reading, codes, slice } = read(`${SH}#SBATCH --array=1-10 \\\n    --time=5\n`);
    expect(values).toEqual({ array: "1-10" });
    expect(reading.firstCommandLine).toBe(2);
    expect(codes).toEqual(["SBATCH005@3:1"]);
    const d = the(reading, "SBATCH005");
    expect(slice(d.span)).toBe("    --time=5");
    expect(slice(d.notes[0]?.span)).toBe("\\");
  });

  test("a trailing backslash followed by another directive line is harmless", () => {
    const { values, codes } = read(`${SH}#SBATCH --array=1-10 \\\n#SBATCH --time=5\n`);
    expect(values).toEqual({ array: "1-10", time: "5" });
    expect(codes).toEqual([]);
  });
});

describe("foreign directives (spec §3.6)", () => {
  test("#PBS lines: one warning at the first, notes at the others; not applied", () => {
    const { codes, reading, values, slice } = read(
      `${SH}#PBS -l walltime=2:00:00\n#SBATCH -t 10\n#PBS -N job\necho\n`,
    );
    expect(codes).toEqual(["SBATCH017@2:1"]);
    const d = the(reading, "SBATCH017");
    expect(d.message).toContain("2 #PBS directives not applied");
    expect(slice(d.notes[0]?.span)).toBe("#PBS -N job");
    expect(values).toEqual({ time: "10" });
  });

  test("#BSUB wins over #PBS, as in sbatch", () => {
    const { reading } = read(`${SH}#PBS -N a\n#BSUB -J b\n`);
    const d = the(reading, "SBATCH017");
    expect(d.message).toContain("a #BSUB directive");
    expect(d.notes[0]?.message).toContain("ignores the #PBS lines");
  });

  test("foreign lines after the first command count too", () => {
    expect(read(`${SH}echo hi\n#PBS -q x\n`).codes).toEqual(["SBATCH017@3:1"]);
  });

  test("sbatch gives up after more than 100 lines not starting with #", () => {
    const filler = "echo\n".repeat(101);
    expect(read(`${SH}${filler}#PBS -q x\n`).codes).toEqual([]);
    expect(read(`${SH}${"echo\n".repeat(100)}#PBS -q x\n`).codes).toEqual(["SBATCH017@102:1"]);
  });

  test("--ignore-pbs, in a directive or the environment, silences it (sbatch ignores them too)", () => {
    expect(read(`${SH}#SBATCH --ignore-pbs\n#PBS -q x\n`).codes).toEqual([]);
    expect(read(`${SH}#PBS -q x\n`, { env: { SBATCH_IGNORE_PBS: "" } }).codes).toEqual([]);
  });
});
