import { describe, expect, test } from "vitest";
import { convertMem, readDocument } from "../../../../src/frontends/submitit/document.ts";
import { SUBMITIT_JSON } from "../../../../src/frontends/submitit/lower.ts";
import { pythonStr, renderSbatch, shlexQuote } from "../../../../src/frontends/submitit/render.ts";
import { readJson } from "../../../../src/source/json.ts";

/** The `#SBATCH` lines submitit renders for a document. */
function directives(doc: object): string[] {
  const read = readDocument(readJson(JSON.stringify(doc), SUBMITIT_JSON).root!);
  expect(read.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return renderSbatch(read.job!)
    .text.split("\n")
    .filter((l) => l.startsWith("#SBATCH"));
}

const run = { command: ["python", "x.py"] };

describe("submitit's sbatch rendering (spec §4)", () => {
  test("defaults: --time=5, --nodes=1, --wckey, --signal, --open-mode, log paths; sorted by raw key", () => {
    expect(directives({ parameters: {}, ...run })).toEqual([
      "#SBATCH --error=/workspace/submitit_logs/%j/%j_0_log.err",
      "#SBATCH --job-name=submitit",
      "#SBATCH --nodes=1",
      "#SBATCH --open-mode=append",
      "#SBATCH --output=/workspace/submitit_logs/%j/%j_0_log.out",
      "#SBATCH --signal=USR2@90",
      "#SBATCH --time=5",
      "#SBATCH --wckey=submitit",
    ]);
  });

  test("mem_gb: whole GB, or truncated MB (G2)", () => {
    expect(convertMem(2)).toBe("2GB");
    expect(convertMem(3.5)).toBe("3584MB");
    expect(convertMem(0.3)).toBe("307MB");
    expect(convertMem(0)).toBe("0GB");
    expect(directives({ parameters: { mem_gb: 1.5 }, ...run })).toContain("#SBATCH --mem=1536MB");
  });

  test("precedence: slurm_<generic> over generic, slurm_<name> over converted generics (§3.3)", () => {
    const lines = directives({
      parameters: {
        timeout_min: 10,
        slurm_timeout_min: 20,
        mem_gb: 4,
        slurm_mem: "6G",
        name: "a",
        slurm_job_name: "b",
      },
      ...run,
    });
    expect(lines).toContain("#SBATCH --time=20");
    expect(lines).toContain("#SBATCH --mem=6G");
    expect(lines).toContain("#SBATCH --job-name=b");
    expect(directives({ parameters: { timeout_min: 10, slurm_time: "2:00:00" }, ...run })).toContain(
      "#SBATCH --time=2:00:00",
    );
  });

  test("parameters_list: repeated update_parameters calls, each converted, later wins", () => {
    const lines = directives({ parameters_list: [{ slurm_time: 30 }, { timeout_min: 90 }], ...run });
    expect(lines).toContain("#SBATCH --time=90");
  });

  test("additional_parameters: same spelling replaces, another spelling adds a line (G7)", () => {
    const lines = directives({
      parameters: {
        slurm_additional_parameters: { "open-mode": "truncate", open_mode: "append", exclusive: true },
      },
      ...run,
    });
    expect(lines.filter((l) => l.includes("open-mode"))).toEqual([
      "#SBATCH --open-mode=truncate",
      "#SBATCH --open-mode=append",
    ]);
    expect(lines).toContain("#SBATCH --exclusive");
  });

  test("stderr_to_stdout drops --error (G10); map_array makes an array with %A_%a paths (G13)", () => {
    expect(
      directives({ parameters: { stderr_to_stdout: true }, ...run }).some((l) => l.includes("--error")),
    ).toBe(false);
    const elements = Array.from({ length: 1000 }, (_, i) => [String(i)]);
    const lines = directives({ parameters: {}, ...run, map_array: elements });
    expect(lines[0]).toBe("#SBATCH --array=0-999%256");
    expect(lines).toContain("#SBATCH --output=/workspace/submitit_logs/%A_%a/%A_%a_0_log.out");
    expect(
      directives({ parameters: {}, ...run, map_array: [["a"]] }).some((l) => l.includes("--array")),
    ).toBe(false);
  });

  test("values: Python str() then shlex.quote", () => {
    expect(shlexQuote("")).toBe("''");
    expect(shlexQuote("gpu:a100:4")).toBe("gpu:a100:4");
    expect(shlexQuote("a b")).toBe("'a b'");
    expect(shlexQuote("it's")).toBe(`'it'"'"'s'`);
    expect(pythonStr(false)).toBe("False");
    expect(pythonStr(12)).toBe("12");
    const lines = directives({
      parameters: {
        slurm_comment: "a b",
        slurm_wckey: "",
        slurm_nodes: "2-4",
      },
      ...run,
    });
    expect(lines).toContain("#SBATCH --comment='a b'");
    expect(lines).toContain("#SBATCH --wckey=''");
    expect(lines).toContain("#SBATCH --nodes=2-4");
    // A JSON number with a fraction is a Python float: `1.0` renders as `1.0`.
    const text = '{"parameters": {"slurm_additional_parameters": {"nice": 1.0}}, "command": ["x"]}';
    expect(renderSbatch(readDocument(readJson(text, SUBMITIT_JSON).root!).job!).text).toContain(
      "#SBATCH --nice=1.0\n",
    );
  });

  test("the command: srun per task, shell-quoted words, args and the element appended", () => {
    const read = readDocument(
      readJson(
        JSON.stringify({ command: ["python", "a b.py"], args: ["--x"], map_array: [["--seed", "1"]] }),
        SUBMITIT_JSON,
      ).root!,
    );
    const text = renderSbatch(read.job!).text;
    expect(
      text.endsWith(
        "srun --unbuffered --output /workspace/submitit_logs/%j/%j_%t_log.out --error /workspace/submitit_logs/%j/%j_%t_log.err python 'a b.py' --x --seed 1\n",
      ),
    ).toBe(true);
  });

  test("every rendered directive maps back to the JSON key or value it came from", () => {
    const json = '{"parameters": {"timeout_min": 60, "slurm_partition": "gpu"}, "command": ["x"]}';
    const rendering = renderSbatch(readDocument(readJson(json, SUBMITIT_JSON).root!).job!);
    const at = (needle: string) => {
      const offset = rendering.text.indexOf(needle);
      const s = rendering.segments.find((x) => x.start <= offset && offset < x.end)!;
      return json.slice(s.target.start, s.target.end);
    };
    expect(at("--time")).toBe('"timeout_min"');
    expect(at("=60")).toBe("60");
    expect(at("=gpu")).toBe('"gpu"');
    expect(at("--partition")).toBe('"slurm_partition"');
    expect(at("--wckey")).toBe('"parameters"');
  });
});
