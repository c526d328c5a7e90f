/** Spec §5: the directive words parsed as one getopt_long command line. */
import { describe, expect, test } from "vitest";
import { read, SH, the } from "./read-helper.ts";

const line = (directive: string) => read(`${SH}#SBATCH ${directive}\n`);

describe("option spellings: the table of spec §5.1, verbatim", () => {
  test("`--long=value`: `--time=10`", () => {
    expect(line("--time=10").values).toEqual({ time: "10" });
  });

  test("`--long value` for a required argument: `--time 10`", () => {
    expect(line("--time 10").values).toEqual({ time: "10" });
  });

  test("`--long value` for an optional argument is a stray word: `--exclusive user` fails, `--exclusive=user` is ok", () => {
    const { codes, values, reading } = line("--exclusive user");
    expect(codes).toEqual(["SBATCH013@2:21"]);
    expect(values).toEqual({ exclusive: null });
    expect(the(reading, "SBATCH013").suggestions[0]?.message).toContain("`--exclusive=user`");
    expect(line("--exclusive=user").values).toEqual({ exclusive: "user" });
  });

  test.each(["--requeue", "--no-kill", "--nice", "--propagate", "--oom-kill-step", "--resv-ports"])(
    "%s takes its optional argument only when attached",
    (option) => {
      expect(line(`${option} 5`).codes).toEqual([`SBATCH013@2:${10 + option.length}`]);
      expect(Object.values(line(`${option}=5`).values)).toEqual(["5"]);
      expect(Object.values(line(option).values)).toEqual([null]);
    },
  );

  test("`--flag=value` for a no-argument option: `--hold=yes` fails", () => {
    const { codes, values, reading, slice } = line("--hold=yes");
    expect(codes).toEqual(["SBATCH012@2:9"]);
    expect(values).toEqual({});
    expect(slice(the(reading, "SBATCH012").span)).toBe("--hold=yes");
    expect(the(reading, "SBATCH012").suggestions[0]?.replacement).toBe("--hold");
  });

  test("`-Xvalue`: `-N2`, `-t90`, `-Jname`", () => {
    expect(line("-N2 -t90 -Jname").values).toEqual({ nodes: "2", time: "90", "job-name": "name" });
  });

  test("`-X value`: `-N 2`", () => {
    expect(line("-N 2").values).toEqual({ nodes: "2" });
  });

  test("`-X=value`: the `=` becomes part of the value (`-J=run` ⇒ `=run`; `-N=2` ⇒ `=2`)", () => {
    const { values, codes, reading, slice } = line("-J=run -N=2 -t=5");
    expect(values).toEqual({ "job-name": "=run", nodes: "=2", time: "=5" });
    expect(codes).toEqual(["SBATCH019@2:11", "SBATCH019@2:18", "SBATCH019@2:23"]);
    const d = the(reading, "SBATCH019");
    expect(d.severity).toBe("warning");
    expect(slice(d.span)).toBe("=run");
  });

  test("clustered short flags: `-HO` = `--hold --overcommit`; `-vN2` = `-v -N 2`", () => {
    expect(line("-HO").values).toEqual({ hold: null, overcommit: null });
    const { values, codes, reading, slice } = line("-vN2");
    expect(values).toEqual({ nodes: "2" });
    expect(codes).toEqual(["SBATCH018@2:9"]);
    const n = reading.effective.get("nodes")!;
    expect([slice(n.nameSpan), slice(n.valueSpan), n.written]).toEqual(["N", "2", "-N"]);
    expect(line("-HN 3").values).toEqual({ hold: null, nodes: "3" });
  });

  test("an optional short argument must be attached: `-koff`", () => {
    expect(line("-koff").values).toEqual({ "no-kill": "off" });
    expect(line("-k").values).toEqual({ "no-kill": null });
    expect(line("-k off").codes).toEqual(["SBATCH013@2:12"]);
  });

  test("single-dash long options are short options: `-time=5` ⇒ `-t` with value `ime=5`", () => {
    const { codes, values, reading } = line("-time=5");
    expect(codes).toEqual(["SBATCH019@2:9"]);
    expect(values).toEqual({});
    const d = the(reading, "SBATCH019");
    expect(d.message).toContain("`-t` (--time) with the value `ime=5`");
    expect(d.suggestions[0]?.replacement).toBe("--time=5");
    expect(line("-job-name=x").reading.diagnostics[0]?.message).toContain(
      "`-j`, which is not an sbatch option",
    );
  });

  test("unique prefixes: --part, --job, --dep, --sig, --out, --err, --arr, --req", () => {
    const { values, reading } = line(
      "--part=gpu --job=x --dep=afterok:1 --sig=USR1 --out=o --err=e --arr=1-3 --req",
    );
    expect(values).toEqual({
      partition: "gpu",
      "job-name": "x",
      dependency: "afterok:1",
      signal: "USR1",
      output: "o",
      error: "e",
      array: "1-3",
      requeue: null,
    });
    expect(reading.occurrences.map((o) => o.written)).toEqual([
      "--part",
      "--job",
      "--dep",
      "--sig",
      "--out",
      "--err",
      "--arr",
      "--req",
    ]);
  });

  test.each([
    "--mem-per=",
    "--cpus=",
    "--gpu=",
    "--tim=",
    "--node=",
    "--ntasks-per=",
    "--gpus-per=",
    "--acc=",
    "--excl",
    "--exp=",
    "--mail=",
    "--res=",
    "--con=",
  ])("ambiguous prefix %s is an error listing the candidates", (spelling) => {
    const { codes, reading, values } = line(spelling.endsWith("=") ? `${spelling}1` : spelling);
    expect(codes).toEqual(["SBATCH010@2:9"]);
    expect(values).toEqual({});
    const d = the(reading, "SBATCH010");
    expect(d.suggestions.length).toBeGreaterThan(1);
    expect(d.message).toContain("is ambiguous");
  });

  test("the candidates of an ambiguous prefix are named", () => {
    const d = the(line("--cpus=8").reading, "SBATCH010");
    expect(d.message).toBe(
      "`--cpus` is ambiguous: it abbreviates `--cpus-per-gpu`, `--cpus-per-task`; sbatch rejects the script",
    );
    expect(d.suggestions.map((s) => s.replacement)).toEqual(["--cpus-per-gpu", "--cpus-per-task"]);
  });

  test("an exact name that prefixes others wins: --mem, --time, --gpus, --nodes, --ntasks, --export, --exclusive, --constraint", () => {
    expect(
      line("--mem=1G --time=1 --gpus=1 --nodes=1 --ntasks=1 --export=NONE --exclusive --constraint=a").values,
    ).toEqual({
      mem: "1G",
      time: "1",
      gpus: "1",
      nodes: "1",
      ntasks: "1",
      export: "NONE",
      exclusive: null,
      constraint: "a",
    });
  });

  test("a required-argument option takes the next word even if it looks like an option", () => {
    const { values, codes, reading, slice } = line("--job-name --time=5");
    expect(values).toEqual({ "job-name": "--time=5" });
    expect(codes).toEqual(["SBATCH011@2:9"]);
    const d = the(reading, "SBATCH011");
    expect(d.severity).toBe("warning");
    expect(slice(d.notes[0]?.span)).toBe("--time=5");
  });
});

describe("missing arguments, stray words and `--` (spec §3.4, §5.4)", () => {
  test("an option left without its argument at the end of the directives is an error", () => {
    const { codes, reading } = read(`${SH}#SBATCH -N 2\n#SBATCH --time\necho\n`);
    expect(codes).toEqual(["SBATCH011@3:9"]);
    expect(the(reading, "SBATCH011").severity).toBe("error");
    expect(read(`${SH}#SBATCH -t\n`).codes).toEqual(["SBATCH011@2:9"]);
    expect(read(`${SH}#SBATCH -vt\n`).codes).toEqual(["SBATCH018@2:9", "SBATCH011@2:11"]);
  });

  test("a stray word stops option parsing: later options are checked but not applied", () => {
    const { codes, values, reading } = read(`${SH}#SBATCH -N 2 oops -n 4 --bogus\n#SBATCH --time=5\n`);
    expect(codes).toEqual(["SBATCH013@2:14", "SBATCH009@2:24"]);
    expect(values).toEqual({ nodes: "2" });
    expect(the(reading, "SBATCH013").notes.map((n) => n.message)).toContain(
      "sbatch stops reading options here: the options after it are not applied",
    );
  });

  test("a run of stray words on one line is one error; the value-ends-here note suggests quoting", () => {
    const { codes, reading, slice } = line("--job-name=my long job");
    expect(codes).toEqual(["SBATCH013@2:23"]);
    const d = the(reading, "SBATCH013");
    expect(slice(d.span)).toBe("long job");
    expect(slice(d.notes[0]?.span)).toBe("my");
    expect(d.suggestions[0]?.message).toContain('`--job-name="my long job"`');
  });

  test("a lone `-` is a stray word", () => {
    expect(line("-N 1 -").codes).toEqual(["SBATCH013@2:14"]);
  });

  test("`--` ends the options: nothing after it is harmless, anything after it is an error", () => {
    expect(line("-N 1 --").codes).toEqual([]);
    expect(line("-N 1 --").values).toEqual({ nodes: "1" });
    const { codes, reading } = line("-N 1 -- -n 2");
    expect(codes).toEqual(["SBATCH013@2:17"]);
    expect(the(reading, "SBATCH013").message).toContain("after `--`");
  });

  test("an option written with an en dash is a stray word, with the ASCII spelling suggested", () => {
    const { codes, reading } = line("\u2013time=5");
    expect(codes).toEqual(["SBATCH013@2:9"]);
    expect(the(reading, "SBATCH013").suggestions[0]?.replacement).toBe("--time=5");
  });
});

describe("unknown options (spec §5.3, §7.3)", () => {
  test("an unknown option is an error with a did-you-mean", () => {
    const { codes, reading } = line("--paritition=gpu");
    expect(codes).toEqual(["SBATCH009@2:9"]);
    expect(the(reading, "SBATCH009").suggestions[0]?.replacement).toBe("--partition");
  });

  test.each([
    ["--cpus_per_task=4", "--cpus-per-task"],
    ["--ntasts-per-node=4", "--ntasks-per-node"],
    ["--name=x", "--job-name"],
    ["--memory=4G", "--mem"],
    ["--email-user=a@b", "--mail-user"],
    ["--walltime=1:00:00", "--time"],
  ])("%s: did you mean %s?", (spelling, guess) => {
    expect(the(line(spelling).reading, "SBATCH009").suggestions[0]?.replacement).toBe(guess);
  });

  test.each([
    "--mpi=pmix",
    "--cpu-bind=cores",
    "--jobid=5",
    "--pty",
    "--label",
    "--exact",
    "--overlap",
    "--kill-on-bad-exit",
  ])("%s belongs to srun", (spelling) => {
    const d = the(line(spelling).reading, "SBATCH009");
    expect(d.message).toContain("srun");
    expect(d.suggestions[0]?.message).toContain("`srun`");
  });

  test("`-I` (srun's --immediate) belongs to srun too", () => {
    expect(the(line("-I").reading, "SBATCH009").message).toContain("srun");
  });

  test.each([
    ["--workdir=/x", "--chdir"],
    ["--share", "--oversubscribe"],
    ["--mincores=2", "--cores-per-socket"],
  ])("%s is a refused spelling with its replacement", (spelling, replacement) => {
    const { codes, reading } = line(spelling);
    expect(codes).toEqual(["SBATCH019@2:9"]);
    expect(the(reading, "SBATCH019").suggestions[0]?.replacement).toBe(replacement);
  });

  test("--power and --checkpoint are refused, with no replacement", () => {
    expect(the(line("--power=x").reading, "SBATCH019").suggestions[0]?.message).toBe("remove it");
    expect(line("--checkpoint=5").codes).toEqual(["SBATCH019@2:9"]);
  });

  test("an unknown option's separate value is not also reported as a stray word", () => {
    expect(line("--workdir /x -N 2").codes).toEqual(["SBATCH019@2:9"]);
    expect(line("--workdir /x -N 2").values).toEqual({ nodes: "2" });
    expect(line("--image docker:x").codes).toEqual(["SBATCH009@2:9"]);
    expect(line("-P 3").codes).toEqual(["SBATCH009@2:9"]);
  });

  test("site plugin options are named as such", () => {
    const d = the(line("--image=docker:nersc/pytorch").reading, "SBATCH009");
    expect(d.notes[0]?.message).toContain("NERSC Shifter");
  });

  test("an unknown short option suggests the other case when that exists", () => {
    const d = the(line("-j name").reading, "SBATCH009");
    expect(d.suggestions[0]?.replacement).toBe("-J");
  });

  test("`--` followed by `=` names no option", () => {
    expect(the(line("--=5").reading, "SBATCH009").message).toContain("names no option");
  });
});

describe("repeated options: the last wins (spec §5.2)", () => {
  test("across lines: SBATCH014 at the later occurrence, with a note at the overridden one", () => {
    const { values, codes, reading, slice } = read(`${SH}#SBATCH --time 10\n#SBATCH --time=20\n`);
    expect(values).toEqual({ time: "20" });
    expect(codes).toEqual(["SBATCH014@3:9"]);
    const d = the(reading, "SBATCH014");
    expect(slice(d.notes[0]?.span)).toBe("--time 10");
    expect(reading.occurrences).toHaveLength(2);
  });

  test("short and long spellings of one option override each other", () => {
    expect(line("-J a --job-name=b").values).toEqual({ "job-name": "b" });
  });

  test("--tasks-per-node and --ntasks-per-node write one field, filed under ntasks-per-node", () => {
    const { values, reading } = line("--ntasks-per-node=4 --tasks-per-node=8");
    expect(values).toEqual({ "ntasks-per-node": "8" });
    expect(reading.effective.get("ntasks-per-node")?.spec.long).toBe("tasks-per-node");
  });

  test("--requeue and --no-requeue share one field: only the last is effective", () => {
    const a = line("--requeue --no-requeue");
    expect(a.values).toEqual({ "no-requeue": null });
    expect(a.codes).toEqual(["SBATCH014@2:19"]);
    expect(line("--no-requeue --requeue").values).toEqual({ requeue: null });
    expect(line("-w n1 -F hosts.txt").values).toEqual({ nodefile: "hosts.txt" });
  });

  test("--export is not merged", () => {
    expect(line("--export=A=1 --export=B=2").values).toEqual({ export: "B=2" });
  });
});

describe("options ignored inside scripts (spec §5.6)", () => {
  test.each([
    "--help",
    "--usage",
    "--version",
    "--verbose",
    "--quiet",
    "-v",
    "-Q",
    "-h",
    "-V",
    '--wrap="python a.py"',
  ])("%s is reported and not applied", (spelling) => {
    const { codes, values, reading } = line(spelling);
    expect(codes).toEqual(["SBATCH018@2:9"]);
    expect(values).toEqual({});
    expect(reading.occurrences).toEqual([]);
  });

  test("-v may repeat without SBATCH014", () => {
    expect(line("-v -v -vv").codes).toEqual([
      "SBATCH018@2:9",
      "SBATCH018@2:12",
      "SBATCH018@2:15",
      "SBATCH018@2:17",
    ]);
  });
});

describe("messages stay readable", () => {
  test("a huge word is shortened in messages", () => {
    const huge = "x".repeat(100_000);
    const d = the(line(`--job-name=${huge} ${huge}`).reading, "SBATCH013");
    expect(d.message.length).toBeLessThan(200);
    expect(d.message).toContain("…");
  });
});
