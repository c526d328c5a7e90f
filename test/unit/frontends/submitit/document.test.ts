import { describe, expect, test } from "vitest";
import { absoluteFolder, readDocument } from "../../../../src/frontends/submitit/document.ts";
import { SUBMITIT_JSON } from "../../../../src/frontends/submitit/lower.ts";
import { readJson } from "../../../../src/source/json.ts";

function read(text: string) {
  return readDocument(readJson(text, SUBMITIT_JSON).root!);
}

/** `code@text` of every diagnostic: the code and the JSON text it points at. */
function at(text: string): string[] {
  return read(text).diagnostics.map((d) => `${d.code}@${d.span ? text.slice(d.span.start, d.span.end) : ""}`);
}

describe("submitit document validation (spec §3.3, §7.3)", () => {
  test("null means not set", () => {
    const r = read('{"parameters": {"timeout_min": null, "slurm_partition": null}, "command": ["x"]}');
    expect(r.diagnostics).toEqual([]);
    expect(r.job!.parameters.size).toBe(0);
    expect(r.job!.timeGiven).toBe(false);
  });

  test("generic types: integral numbers, no booleans, booleans for stderr_to_stdout", () => {
    expect(at('{"parameters": {"timeout_min": 90.0}, "command": ["x"]}')).toEqual([]);
    expect(
      at('{"parameters": {"timeout_min": 90.5, "nodes": true, "stderr_to_stdout": 1}, "command": ["x"]}'),
    ).toEqual(["SUBMITIT005@90.5", "SUBMITIT005@true", "SUBMITIT005@1"]);
    expect(at('{"parameters": {"mem_gb": -1, "tasks_per_node": 0}, "command": ["x"]}')).toEqual([
      "SUBMITIT009@-1",
      "SUBMITIT009@0",
    ]);
  });

  test("a wrong value inside a list or object is named and marked where it is", () => {
    const list = read('{"parameters": {"slurm_setup": ["a", 3]}, "command": ["x"]}').diagnostics[0];
    expect(list?.message).toBe("`slurm_setup[1]` must be a string, not `3`");
    expect(
      at('{"parameters": {"slurm_additional_parameters": {"a": {"b": 1}, "c": null}}, "command": ["x"]}'),
    ).toEqual(['SUBMITIT005@{"b": 1}']);
    const object = read('{"parameters": {"slurm_additional_parameters": {"a": {"b": 1}}}, "command": ["x"]}');
    expect(object.diagnostics[0]?.message).toMatch(
      /^`slurm_additional_parameters\.a` must be .*, not an object$/,
    );
    // The value as a whole keeps its own words.
    expect(read('{"parameters": {"slurm_setup": "a"}, "command": ["x"]}').diagnostics[0]?.message).toBe(
      "`slurm_setup` must be a list of strings, not a string",
    );
  });

  test("deprecated unprefixed names warn and are renamed; `setup` is local_setup, ignored (G3, G4)", () => {
    const r = read('{"parameters": {"partition": "gpu", "setup": ["x"]}, "command": ["x"]}');
    expect(r.diagnostics.map((d) => d.code)).toEqual(["SUBMITIT007", "SUBMITIT008"]);
    expect(r.job!.parameters.get("partition")?.value).toBe("gpu");
    expect(r.job!.parameters.has("setup")).toBe(false);
  });

  test("the same parameter under two names is an error", () => {
    expect(at('{"parameters": {"partition": "a", "slurm_partition": "b"}, "command": ["x"]}')).toEqual([
      'SUBMITIT007@"partition"',
      'SUBMITIT015@"slurm_partition"',
    ]);
  });

  test("unknown names: error at the key, did-you-mean, the valid names listed", () => {
    const text =
      '{"parameters": {"slurm_partiton": "a", "timeout": 3, "foo_bar": 1, "local_x": 1}, "command": ["x"]}';
    const r = read(text);
    expect(r.diagnostics.map((d) => d.code)).toEqual([
      "SUBMITIT006",
      "SUBMITIT006",
      "SUBMITIT006",
      "SUBMITIT006",
    ]);
    expect(r.diagnostics[0]!.suggestions[0]!.message).toBe("did you mean `slurm_partition`?");
    expect(r.diagnostics[1]!.suggestions[0]!.message).toBe("did you mean `timeout_min`?");
    expect(r.diagnostics[1]!.notes[0]!.message).toContain("slurm_partition");
    expect(r.diagnostics[2]!.message).toContain("`foo` is not an executor");
  });

  test("other executors' parameters are validated, then ignored with a warning", () => {
    expect(
      read(
        '{"parameters": {"local_setup": ["x"], "debug_timeout_min": 3}, "command": ["x"]}',
      ).diagnostics.map((d) => d.code),
    ).toEqual(["SUBMITIT008", "SUBMITIT008"]);
  });

  test("slurm_exclusive: false is an error (G6); true is fine", () => {
    expect(at('{"parameters": {"slurm_exclusive": false}, "command": ["x"]}')).toEqual(["SUBMITIT009@false"]);
    expect(at('{"parameters": {"slurm_exclusive": true}, "command": ["x"]}')).toEqual([]);
  });

  test("command XOR script; args and map_array need a command list; map_array not with an array option", () => {
    expect(at('{"parameters": {}}')).toEqual(["SUBMITIT011@{"]);
    expect(at('{"command": ["x"], "script": "y"}')).toEqual(['SUBMITIT011@"script"']);
    expect(at('{"command": "x", "args": ["a"], "map_array": [["b"]]}')).toEqual([
      'SUBMITIT011@"args"',
      'SUBMITIT011@"map_array"',
    ]);
    expect(
      at(
        '{"command": ["x"], "map_array": [["a"]], "parameters": {"slurm_additional_parameters": {"array": "0-3"}}}',
      ),
    ).toEqual(['SUBMITIT011@"map_array"']);
    expect(at('{"command": ["x"], "map_array": []}')).toEqual(["SUBMITIT009@[]"]);
  });

  test("a value that would break its #SBATCH line is an error; shell lists may hold line breaks", () => {
    expect(
      at(
        '{"parameters": {"slurm_comment": "a\\nb", "slurm_additional_parameters": {"x y": 1}}, "command": ["x"]}',
      ),
    ).toEqual(['SUBMITIT009@"a\\nb"', 'SUBMITIT009@"x y"']);
    expect(at('{"parameters": {"slurm_setup": ["a\\nb"]}, "command": ["x"]}')).toEqual([]);
  });

  test("not a submitit document: one clear error", () => {
    expect(at('{"name": "pkg", "version": "1"}')).toEqual(["SUBMITIT003@{"]);
    expect(at("[1]")).toEqual(["SUBMITIT003@[1]"]);
  });

  test("unknown fields at the top, in executor and in cloud get did-you-mean", () => {
    const r = read(
      '{"command": ["x"], "enviroment": {}, "executor": {"python": "p"}, "cloud": {"regoin": "x"}}',
    );
    expect(r.diagnostics.map((d) => `${d.code} ${d.suggestions[0]?.message}`)).toEqual([
      "SUBMITIT004 did you mean `env`?",
      "SUBMITIT004 did you mean `slurm_python`?",
      "SUBMITIT004 did you mean `region`?",
    ]);
  });

  test("folders are absolute like pathlib makes them, under the submit directory", () => {
    expect(absoluteFolder("logs/./%j/")).toBe("/workspace/logs/%j");
    expect(absoluteFolder("/abs//x")).toBe("/abs/x");
    expect(absoluteFolder(".")).toBe("/workspace");
    expect(at('{"command": ["x"], "folder": "~/logs"}')).toEqual(['SUBMITIT009@"~/logs"']);
  });
});

describe("folder and cwd are checked alike", () => {
  test.each(["folder", "cwd"])(
    "%s: empty or under ~ is SUBMITIT009; a relative one is under /workspace",
    (key) => {
      for (const bad of ["", "  ", "~/proj", "~"]) {
        const r = read(`{"parameters": {}, "command": ["x"], "${key}": ${JSON.stringify(bad)}}`);
        expect(
          r.diagnostics.map((d) => d.code),
          JSON.stringify(bad),
        ).toEqual(["SUBMITIT009"]);
      }
      const good = read(`{"parameters": {}, "command": ["x"], "${key}": "proj/run"}`);
      expect(good.diagnostics).toEqual([]);
    },
  );
});
