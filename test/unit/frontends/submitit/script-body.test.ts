/**
 * The two places where a submitit document used to be judged only through its rendering: the text
 * rule (IR005) and the body analysis of a `script`. Both must land on the JSON string itself.
 */
import { describe, expect, test, vi } from "vitest";
import type { Diagnostic } from "../../../../src/diagnostics/diagnostic.ts";
import type { SlurmLowerOptions } from "../../../../src/frontends/slurm/lower.ts";
import { JsonStringMap, JsonStringMaps } from "../../../../src/frontends/submitit/json-string.ts";
import { lowerSubmitit } from "../../../../src/frontends/submitit/lower.ts";
import { createSourceFile, positionOf } from "../../../../src/source/source-file.ts";

function lower(doc: object | string, options: SlurmLowerOptions = {}) {
  const text = typeof doc === "string" ? doc : JSON.stringify(doc, null, 2);
  const file = createSourceFile("params.json", text);
  const result = lowerSubmitit(file, { set: {}, env: {}, ...options });
  const shown = (d: Diagnostic | undefined) => (d?.span ? text.slice(d.span.start, d.span.end) : undefined);
  const all = (code: string) => result.diagnostics.filter((d) => d.code === code);
  return { result, text, file, all, shown };
}

const PARAMETERS = { timeout_min: 60, gpus_per_node: 1 };

describe("NUL characters and lone surrogates: at the JSON string that holds them (IR005)", () => {
  test("a NUL in a setup line: at that string, with a note and a removal at the escape", () => {
    const text = `{
  "parameters": { "timeout_min": 60, "gpus_per_node": 1, "slurm_setup": ["echo ok", "echo a\\u0000b"] },
  "command": ["python", "train.py"]
}`;
    const { result, all, shown, file } = lower(text);
    expect(result.value).toBeUndefined();
    const ir = all("IR005");
    expect(ir).toHaveLength(1); // not also at the `parameters` key (the old report)
    expect(shown(ir[0])).toBe('"echo a\\u0000b"');
    expect(positionOf(file, ir[0]!.span!.start)).toEqual({ line: 2, column: 85 });
    expect(ir[0]!.message).toBe("`slurm_setup[1]` contains a NUL character (U+0000)");
    const note = ir[0]!.notes[0]!;
    expect(text.slice(note.span!.start, note.span!.end)).toBe("\\u0000");
    const fix = ir[0]!.suggestions[0]!;
    expect(fix.replacement).toBe("");
    expect(text.slice(fix.span!.start, fix.span!.end)).toBe("\\u0000");
    expect(all("SBATCH004")).toEqual([]); // the rendered file's NUL error is not repeated
  });

  test("a lone surrogate in the script, past other escapes: at the script string, noted at the escape", () => {
    const text = `{"parameters": {"timeout_min": 60}, "script": "echo \\"\\\\u0000\\"\\necho \\udc00\\n"}`;
    const { all, shown } = lower(text);
    const ir = all("IR005");
    expect(ir.map((d) => d.message)).toEqual([
      "`script` contains a lone UTF-16 surrogate (U+DC00, not valid Unicode)",
    ]); // `\\u0000` is a backslash and text, not a NUL
    expect(shown(ir[0])).toBe(text.slice(text.indexOf('"echo'), -1));
    const note = ir[0]!.notes[0]!;
    expect(text.slice(note.span!.start, note.span!.end)).toBe("\\udc00");
    expect(ir[0]!.suggestions[0]!.message).toContain("surrogate pair");
  });

  test("a raw lone surrogate written in the JSON text (no escape): at the script, noted at the unit itself", () => {
    const text = `{"parameters": {"timeout_min": 60}, "script": "echo a\\necho \udc00b\\n"}`;
    expect(text).toContain("\udc00"); // the unit itself, not `\udc00` spelled as an escape
    const { result, all, shown } = lower(text);
    expect(result.value).toBeUndefined();
    const ir = all("IR005");
    expect(ir.map((d) => d.message)).toEqual([
      "`script` contains a lone UTF-16 surrogate (U+DC00, not valid Unicode)",
    ]);
    expect(shown(ir[0])).toBe(text.slice(text.indexOf('"echo'), -1));
    const note = ir[0]!.notes[0]!;
    expect(note.span!.end - note.span!.start).toBe(1);
    expect(text.charCodeAt(note.span!.start)).toBe(0xdc00);
    // no escape spells it, so none is quoted
    expect(ir[0]!.suggestions[0]!.message).not.toContain("(written");
  });

  test("every string that reaches the job is checked: command words, args, map_array, cwd, folder, env, cloud, option keys", () => {
    const { all, shown } = lower({
      parameters: { ...PARAMETERS, name: "n\u0000", slurm_additional_parameters: { "k\ud800": "v" } },
      command: ["python", "a\u0000"],
      args: ["\u0000"],
      map_array: [["x\udfff"]],
      cwd: "d\u0000",
      folder: "f\u0000",
      env: { "E\u0000": "v\u0000" },
      cloud: { region: "r\u0000" },
    });
    expect(all("IR005").map((d) => `${d.message.split(" contains")[0]} @ ${shown(d)}`)).toEqual([
      '`name` @ "n\\u0000"',
      'the key "k\\ud800" of `slurm_additional_parameters` @ "k\\ud800"',
      '`command[1]` @ "a\\u0000"',
      '`args[0]` @ "\\u0000"',
      '`map_array[0][0]` @ "x\\udfff"',
      '`cwd` @ "d\\u0000"',
      '`folder` @ "f\\u0000"',
      'the name "E\\u0000" in `env` @ "E\\u0000"',
      '`env."E\\u0000"` @ "v\\u0000"',
      '`cloud.region` @ "r\\u0000"',
    ]);
  });

  test("strings the job ignores are not checked; a surrogate pair is fine", () => {
    const { result, all } = lower({
      $schema: "s\u0000",
      executor: { slurm_python: "p\u0000" },
      parameters: { ...PARAMETERS, local_setup: ["x\u0000"], name: "ok😀" },
      command: ["python", "\ud83d\ude00"],
    });
    expect(all("IR005")).toEqual([]);
    expect(result.value).toBeDefined();
  });
});

/** A script with escapes before every finding: `\"`, `\t`, `\u00e9`, a line continuation. */
const SCRIPT = [
  "#!/bin/bash",
  "set -e",
  '# "café"\tmodule load x (a comment)',
  "module load cuda/12.1 \\",
  "  nccl/2.18",
  "conda activate train",
  "source .venv/bin/activate",
  'srun --mpi=pmix python t.py --step "$SLURM_STEP_ID"',
  "singularity exec img.sif python e.py",
  "sbatch next.sh",
  'echo "$SLURM_TMPDIR $SLURM_JOB_IDD"',
  "",
].join("\n");

describe("a submitit script gets the SLURM body analysis, at its JSON characters", () => {
  test("module, conda, venv, srun options, containers, nested sbatch, variables: exact spans", () => {
    const { result, text, shown } = lower({ parameters: { ...PARAMETERS, nodes: 2 }, script: SCRIPT });
    expect(text).toContain('\\"café\\"\\tmodule'); // the escapes really are in the file
    const found = result.diagnostics
      .filter((d) => /^SBATCH03[0-5]$/.test(d.code))
      .map((d) => `${d.code} ${shown(d)}`);
    expect(found).toEqual([
      "SBATCH030 module",
      "SBATCH031 conda",
      "SBATCH031 source",
      "SBATCH032 --mpi=pmix",
      "SBATCH034 singularity",
      "SBATCH033 sbatch",
      "SBATCH035 SLURM_TMPDIR",
      "SBATCH035 SLURM_JOB_IDD",
    ]);
    const module = result.diagnostics.find((d) => d.code === "SBATCH030")!;
    expect(module.message).toContain("`module load cuda/12.1 nccl/2.18` will fail");
    // `set -e` notes point at the script's `set`, inside the JSON string.
    expect(module.notes.map((n) => n.span && text.slice(n.span.start, n.span.end))).toEqual(["set"]);
    // A replacement of script text is valid inside the JSON string, at the exact span.
    const typo = result.diagnostics.find((d) => shown(d) === "SLURM_JOB_IDD")!;
    expect(typo.suggestions.find((s) => s.replacement !== undefined)?.replacement).toBe("SLURM_JOB_ID");
  });

  test("under srun the script is a task: srun's task variables are set, and SPMD is what srun was asked for", () => {
    const script = "#!/bin/bash\npython t.py --step $SLURM_STEP_ID\n";
    const under = lower({ parameters: { ...PARAMETERS, nodes: 2 }, script });
    expect(under.all("SBATCH035")).toEqual([]);
    const batch = lower({ parameters: { ...PARAMETERS, nodes: 2, slurm_use_srun: false }, script });
    // The batch script runs it: the variable is unset there; the SPMD warning stays at the line
    // of the rendering that starts the script (once), not repeated inside.
    expect(batch.all("SBATCH035").map((d) => batch.shown(d))).toEqual([
      JSON.stringify(script),
      "SLURM_STEP_ID",
    ]);
    expect(batch.all("SBATCH035").filter((d) => d.message.includes("SPMD"))).toHaveLength(1);
  });

  test("slurm_use_srun: false and an srun in the script: --signal reaches its steps (no SBATCH023 'starts none')", () => {
    const starts = (script: string) =>
      lower({ parameters: { ...PARAMETERS, slurm_use_srun: false }, script })
        .all("SBATCH023")
        .some((d) => d.message.includes("starts none"));
    expect(starts("#!/bin/bash\npython t.py\n")).toBe(true);
    expect(starts("#!/bin/bash\nsrun python t.py\n")).toBe(false);
  });

  test("a script in another language is not read as shell; commands are not scripts", () => {
    const py = lower({ parameters: PARAMETERS, script: "#!/usr/bin/env python3\nimport os\nmodule = 1\n" });
    expect(py.all("SBATCH030")).toEqual([]);
    expect(py.result.value).toBeDefined();
    const argv = lower({ parameters: PARAMETERS, command: ["module", "load", "x"] });
    // A command runs after `srun` in the rendered file: analysed there, as a launched program.
    expect(argv.all("SBATCH030").map((d) => argv.shown(d))).toEqual(['"module"']);
  });

  test("the module map: a mapped module gives the task its image, at the module's span", () => {
    const moduleMap = { "cuda/12.1": { image: "nvidia/cuda:12.1.0-devel-ubuntu22.04" } };
    const script = "#!/bin/bash\nmodule load cuda/12.1\npython t.py\n";
    const { result, text } = lower({ parameters: PARAMETERS, script }, { moduleMap });
    expect(result.value?.image).toBe("nvidia/cuda:12.1.0-devel-ubuntu22.04");
    const span = result.spans.get("image")!.value;
    expect(text.slice(span.start, span.end)).toBe("cuda/12.1");
    expect(result.diagnostics.find((d) => d.code === "SBATCH030")?.severity).toBe("info");
    // The task's own image wins, and the script is told so.
    const own = lower({ parameters: PARAMETERS, script, cloud: { image: "ubuntu:24.04" } }, { moduleMap });
    expect(own.result.value?.image).toBe("ubuntu:24.04");
    expect(own.all("SBATCH030").some((d) => d.message.includes("already has an image"))).toBe(true);
  });

  test("the module map: a setup module's image and a different script module's image conflict", () => {
    const moduleMap = { a: { image: "img-a" }, b: { image: "img-b" } };
    const same = lower(
      { parameters: { ...PARAMETERS, slurm_setup: ["module load a"] }, script: "module load a\n" },
      { moduleMap },
    );
    expect(same.result.value?.image).toBe("img-a");
    expect(same.all("SBATCH030").every((d) => d.severity === "info")).toBe(true);
    const other = lower(
      { parameters: { ...PARAMETERS, slurm_setup: ["module load a"] }, script: "module load b\n" },
      { moduleMap },
    );
    const conflict = other.all("SBATCH030").find((d) => d.message.startsWith("conflicting images"))!;
    expect(other.shown(conflict)).toBe("b");
    expect(conflict.message).toContain("`slurm_setup` already chose `img-a`");
    expect(other.result.value?.image).toBe("img-a");
  });

  test("every span of a script finding lies inside the script's JSON string", () => {
    const { result, text } = lower({ parameters: { ...PARAMETERS, nodes: 2 }, script: SCRIPT });
    const start = text.indexOf('"#!/bin/bash');
    const end = text.indexOf('"', text.indexOf("SLURM_JOB_IDD")) + 1;
    const findings = result.diagnostics.filter((x) => /^SBATCH03[0-5]$/.test(x.code));
    expect(findings.length).toBeGreaterThan(5);
    for (const d of findings) {
      expect(d.span!.start).toBeGreaterThan(start);
      expect(d.span!.end).toBeLessThan(end);
    }
  });
});

describe("a script's module commands are answered on the instance as a batch script's are", () => {
  test("its loads join slurm.modules (with those of slurm_setup)", () => {
    const { result } = lower(
      {
        parameters: { ...PARAMETERS, slurm_setup: ["module load gcc/11"] },
        script: "#!/bin/bash\nmodule purge\nmodule load cuda/12.1 nccl\npython train.py\n",
      },
      { moduleMap: { cuda: { setup: "export CUDA_HOME=/opt/cuda" }, gcc: { setup: "" } } },
    );
    expect(result.value?.slurm?.modules).toEqual({ "gcc/11": "", "cuda/12.1": "export CUDA_HOME=/opt/cuda" });
  });

  test("a script without module commands adds none", () => {
    const { result } = lower({ parameters: PARAMETERS, script: "#!/bin/bash\npython train.py\n" });
    expect(result.value?.slurm?.modules).toBeUndefined();
  });
});

describe("the script's offset map: built only to move a span, and once", () => {
  const script = (lines: string[]) => `#!/bin/bash\n${lines.join("\n")}\n`;

  test("a clean script with escapes is checked and analysed on its decoded text: no map is built", () => {
    const of = vi.spyOn(JsonStringMap, "of");
    try {
      const { result } = lower({ parameters: PARAMETERS, script: script(['echo "a\tb"', "python t.py"]) });
      expect(result.value).toBeDefined();
      expect(of).not.toHaveBeenCalled();
    } finally {
      of.mockRestore();
    }
  });

  test("findings in the script: its map is built once for all of them", () => {
    const of = vi.spyOn(JsonStringMap, "of");
    try {
      const { all } = lower({
        parameters: PARAMETERS,
        script: script(["module load a", "module load b", 'echo "$SLURM_TMPDIR"', "sbatch x.sh"]),
      });
      expect(all("SBATCH030").length + all("SBATCH035").length).toBeGreaterThan(1);
      expect(of).toHaveBeenCalledTimes(1);
    } finally {
      of.mockRestore();
    }
  });

  test("JsonStringMaps: one map per literal, shared by whoever asks", () => {
    const text = '{"a": "x\\ny", "b": "z"}';
    const maps = new JsonStringMaps(text);
    const a = { start: 6, end: 12 };
    expect(maps.of(a)?.value).toBe("x\ny");
    expect(maps.of(a)).toBe(maps.of({ ...a }));
    expect(maps.of({ start: 19, end: 22 })?.value).toBe("z");
    expect(maps.of({ start: 5, end: 12 })).toBeUndefined(); // no literal starts there
  });
});
