/** Template debris in directives (spec §4: no expansion) and filling it with `set`. */
import { describe, expect, test } from "vitest";
import { read, SH, the } from "./read-helper.ts";

describe("placeholders left in directives", () => {
  test.each([
    ["-N {{nodes}}", "{{nodes}}", 12],
    ["--nodes={{ nodes }}", "{{ nodes }}", 17],
    ["-N <my_count>", "<my_count>", 12],
    ["-N @NNODES@", "@NNODES@", 12],
    ["-N {nodes}", "{nodes}", 12],
    ["--gres={% if gpu %}", "{% if gpu %}", 16],
    ["--gres=gpu:$N", "$N", 20],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable in a directive, on purpose
    ["--gres=gpu:${N}", "${N}", 20],
    ["-A $1", "$1", 12],
  ])("`%s`: SBATCH016 naming `%s`", (directive, placeholder, column) => {
    const { codes, reading, slice } = read(`${SH}#SBATCH ${directive}\n`);
    expect(codes).toEqual([`SBATCH016@2:${column}`]);
    expect(slice(the(reading, "SBATCH016").span)).toBe(placeholder);
    expect(the(reading, "SBATCH016").message).toContain(`\`${placeholder}\``);
  });

  test("the option is still read, with the literal value sbatch would see", () => {
    expect(read(`${SH}#SBATCH -N {{nodes}}\n`).values).toEqual({ nodes: "{{nodes}}" });
  });

  test("`$USER` in an output path: sbatch does not expand it; suggests `%u` and --set", () => {
    const { codes, reading, values } = read(`${SH}#SBATCH --output=/home/$USER/x.out\n`);
    expect(codes).toEqual(["SBATCH016@2:24"]);
    const d = the(reading, "SBATCH016");
    expect(d.message).toContain("not expanded");
    expect(d.message).toContain("literally `--output=/home/$USER/x.out`");
    expect(d.suggestions.map((s) => s.replacement)).toEqual(["%u", undefined]);
    expect(d.suggestions[1]?.message).toContain("--set USER=");
    expect(values).toEqual({ output: "/home/$USER/x.out" });
  });

  test("$SLURM_JOB_ID in an error path suggests %j; outside filenames no pattern is suggested", () => {
    expect(
      the(read(`${SH}#SBATCH -e err.$SLURM_JOB_ID\n`).reading, "SBATCH016").suggestions[0]?.replacement,
    ).toBe("%j");
    expect(
      the(read(`${SH}#SBATCH -J $USER\n`).reading, "SBATCH016").suggestions[0]?.replacement,
    ).toBeUndefined();
  });

  test("a placeholder inside quotes keeps its exact span", () => {
    const { reading, slice } = read(`${SH}#SBATCH -o "/x/$USER/y"\n`);
    expect(slice(the(reading, "SBATCH016").span)).toBe("$USER");
  });

  test("`--wrap`'s command may use shell variables (and --wrap is ignored anyway)", () => {
    expect(read(`${SH}#SBATCH --wrap="echo $HOME"\n`).codes).toEqual(["SBATCH018@2:9"]);
  });

  test("a placeholder standing for options is reported once, not also as a stray word", () => {
    const { codes, reading } = read(`${SH}#SBATCH {{extra_opts}}\n#SBATCH -N 1\n`);
    expect(codes).toEqual(["SBATCH016@2:9"]);
    expect(the(reading, "SBATCH016").notes[0]?.message).toContain("stray word");
  });

  test("a placeholder in an option name is reported instead of an unknown option", () => {
    expect(read(`${SH}#SBATCH --{{opt}}=3\n`).codes).toEqual(["SBATCH016@2:11"]);
  });

  test("a template tag with blanks inside is one word (sbatch would split it, but it is never meant for sbatch)", () => {
    expect(
      read(`${SH}#SBATCH --nodes={{ n }} -t {% if x %}5{% endif %}\n`, { set: { n: "3" } }).values,
    ).toEqual({
      nodes: "3",
      time: "{% if x %}5{% endif %}",
    });
  });

  test("a lone brace, or an unclosed tag, is ordinary text", () => {
    expect(read(`${SH}#SBATCH -J a{b -A {{x y\n`).codes).toEqual(["SBATCH013@2:23"]);
  });

  test("ordinary @, <, $ and braces are not placeholders", () => {
    const { codes } = read(
      `${SH}#SBATCH --mail-user=me@example.com --signal=B:USR1@300 --licenses=gurobi@db:8 --comment=a{b,c}\n`,
    );
    expect(codes).toEqual([]);
  });
});

describe("filling placeholders with `set`", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable in a directive, on purpose
  test.each(["{{nodes}}", "{{ nodes }}", "<nodes>", "@nodes@", "{nodes}", "$nodes", "${nodes}"])(
    "`-N %s` with nodes=2 reads as `-N 2`; spans point at the placeholder",
    (placeholder) => {
      const { values, codes, reading, slice } = read(`${SH}#SBATCH -N ${placeholder}\n`, {
        set: { nodes: "2" },
      });
      expect(values).toEqual({ nodes: "2" });
      expect(codes).toEqual([]);
      expect(slice(reading.effective.get("nodes")?.valueSpan)).toBe(placeholder);
    },
  );

  test("a filled placeholder inside a word keeps the text around it; spans stay in the source", () => {
    const { values, reading, slice } = read(`${SH}#SBATCH --gres=gpu:{{type}}:{{n}} -J "run-{{n}}"\n`, {
      set: { type: "a100", n: "4" },
    });
    expect(values).toEqual({ gres: "gpu:a100:4", "job-name": "run-4" });
    expect(slice(reading.effective.get("gres")?.valueSpan)).toBe("gpu:{{type}}:{{n}}");
  });

  test("only named placeholders are filled; the rest are reported", () => {
    const { values, codes } = read(`${SH}#SBATCH -N {{nodes}} -n {{tasks}}\n`, { set: { nodes: "2" } });
    expect(values).toEqual({ nodes: "2", ntasks: "{{tasks}}" });
    expect(codes).toEqual(["SBATCH016@2:25"]);
  });

  test("an unquoted placeholder filled with several words splits, as the filled line would", () => {
    const { values, codes } = read(`${SH}#SBATCH {{opts}}\n`, { set: { opts: "--time=5 -N 2" } });
    expect(values).toEqual({ time: "5", nodes: "2" });
    expect(codes).toEqual([]);
  });

  test("a quoted placeholder filled with blanks stays one word", () => {
    expect(read(`${SH}#SBATCH -J "{{name}}"\n`, { set: { name: "my job" } }).values).toEqual({
      "job-name": "my job",
    });
  });

  test("an unquoted placeholder filled with nothing disappears", () => {
    expect(read(`${SH}#SBATCH {{extra}} -N 2\n`, { set: { extra: "" } }).values).toEqual({ nodes: "2" });
  });

  test("filled text is not scanned again", () => {
    expect(read(`${SH}#SBATCH -J {{a}}\n`, { set: { a: "{{b}}", b: "x" } }).values).toEqual({
      "job-name": "{{b}}",
    });
  });
});
