/**
 * The submitit path of `compile` on generated input:
 * - any valid parameter object compiles without throwing, and its IR equals the IR of the
 *   equivalent `#SBATCH` script — the one submitit renders, written here independently from
 *   spec/submitit.md §4 (defaults, precedence, mem conversion, sorting, quoting, arrays);
 * - any JSON value at all (as the document, or as its `parameters`) compiles without throwing,
 *   with every span inside the file.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.ts";

interface Params {
  name?: string;
  timeout_min?: number;
  nodes?: number;
  tasks_per_node?: number;
  gpus_per_node?: number;
  cpus_per_task?: number;
  mem_gb?: number;
  stderr_to_stdout?: boolean;
  slurm_time?: string;
  slurm_partition?: string;
  slurm_signal_delay_s?: number;
  slurm_comment?: string;
  slurm_setup?: string[];
  slurm_array_parallelism?: number;
  slurm_additional_parameters?: Record<string, string | boolean>;
}

interface Doc {
  parameters: Params;
  command: string[];
  map_array?: string[][];
}

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const params: fc.Arbitrary<Params> = fc.record(
  {
    name: opt(fc.stringMatching(/^[a-z][a-z0-9 _.-]{0,15}$/)),
    timeout_min: opt(fc.integer({ min: 1, max: 10080 })),
    nodes: opt(fc.integer({ min: 1, max: 4 })),
    tasks_per_node: opt(fc.integer({ min: 1, max: 8 })),
    gpus_per_node: opt(fc.constantFrom(1, 2, 4, 8)),
    cpus_per_task: opt(fc.integer({ min: 1, max: 8 })),
    mem_gb: opt(fc.oneof(fc.integer({ min: 0, max: 256 }), fc.double({ min: 0.01, max: 64, noNaN: true }))),
    stderr_to_stdout: opt(fc.boolean()),
    slurm_time: opt(fc.constantFrom("1:00:00", "2-00:00:00", "90", "30:00")),
    slurm_partition: opt(fc.constantFrom("gpu", "h100", "big one")),
    slurm_signal_delay_s: opt(fc.integer({ min: 0, max: 600 })),
    slurm_comment: opt(fc.string({ maxLength: 20 }).filter((s) => !/[\n\r\\]/.test(s))),
    slurm_setup: opt(fc.array(fc.constantFrom("echo setup", "export A=1", "nvidia-smi"), { maxLength: 3 })),
    slurm_array_parallelism: opt(fc.integer({ min: 1, max: 8 })),
    slurm_additional_parameters: opt(
      fc.record(
        { exclusive: fc.constant(true), open_mode: fc.constant("truncate"), "mail-type": fc.constant("END") },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

const word = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\0\n\r]/.test(s));
const docs: fc.Arbitrary<Doc> = fc.record(
  {
    parameters: params,
    command: fc.array(word, { minLength: 1, maxLength: 4 }),
    map_array: opt(fc.array(fc.array(word, { maxLength: 3 }), { minLength: 1, maxLength: 4 })),
  },
  { requiredKeys: ["parameters", "command"] },
);

/** Python's shlex.quote. */
function quote(s: string): string {
  if (s === "") return "''";
  return /^[\w@%+=:,./-]+$/.test(s) && !/[^\x00-\x7f]/.test(s) ? s : `'${s.split("'").join(`'"'"'`)}'`;
}

/** The sbatch file submitit writes for the document (spec §4), with the document's command. */
function equivalentScript(doc: Doc): string {
  const p = doc.parameters;
  const o = new Map<string, string | true>();
  o.set("job_name", p.name ?? "submitit");
  o.set("time", p.slurm_time ?? String(p.timeout_min ?? 5));
  o.set("nodes", String(p.nodes ?? 1));
  o.set("wckey", "submitit");
  if (p.mem_gb !== undefined)
    o.set("mem", Number.isInteger(p.mem_gb) ? `${p.mem_gb}GB` : `${Math.floor(p.mem_gb * 1024)}MB`);
  if (p.cpus_per_task !== undefined) o.set("cpus_per_task", String(p.cpus_per_task));
  if (p.gpus_per_node !== undefined) o.set("gpus_per_node", String(p.gpus_per_node));
  if (p.tasks_per_node !== undefined) o.set("ntasks_per_node", String(p.tasks_per_node));
  if (p.slurm_partition !== undefined) o.set("partition", p.slurm_partition);
  if (p.slurm_comment !== undefined) o.set("comment", p.slurm_comment);
  o.set("signal", `USR2@${p.slurm_signal_delay_s ?? 90}`);
  const n = doc.map_array?.length ?? 0;
  const folder = n > 1 ? "/workspace/submitit_logs/%A_%a" : "/workspace/submitit_logs/%j";
  const job = n > 1 ? "%A_%a" : "%j";
  if (n > 1) o.set("array", `0-${n - 1}%${Math.min(n, p.slurm_array_parallelism ?? 256)}`);
  o.set("output", `${folder}/${job}_0_log.out`);
  if (!p.stderr_to_stdout) o.set("error", `${folder}/${job}_0_log.err`);
  o.set("open-mode", "append");
  for (const [k, v] of Object.entries(p.slurm_additional_parameters ?? {}))
    o.set(k, v === true ? true : String(v));
  const lines = ["#!/bin/bash", "", "# Parameters"];
  for (const k of [...o.keys()].sort()) {
    const v = o.get(k)!;
    lines.push(`#SBATCH --${k.replaceAll("_", "-")}${v === true ? "" : `=${quote(v)}`}`);
  }
  if (p.slurm_setup) lines.push("", "# setup", ...p.slurm_setup);
  lines.push("", "# command", "export SUBMITIT_EXECUTOR=slurm");
  if (n > 1) {
    lines.push('case "$SLURM_ARRAY_TASK_ID" in');
    doc.map_array!.forEach((e, i) => {
      lines.push(`  ${i}) set --${e.map((w) => ` ${quote(w)}`).join("")} ;;`);
    });
    lines.push("esac");
  }
  const srun = ["srun", "--unbuffered", "--output", `${folder}/${job}_%t_log.out`];
  if (!p.stderr_to_stdout) srun.push("--error", `${folder}/${job}_%t_log.err`);
  const words = [...doc.command, ...(n === 1 ? doc.map_array![0]! : [])];
  lines.push(`${[...srun, ...words].map(quote).join(" ")}${n > 1 ? ' "$@"' : ""}`, "");
  return lines.join("\n");
}

function checkSpans(text: string, result: ReturnType<typeof compile>) {
  for (const d of result.diagnostics) {
    if (!d.span) continue;
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
}

describe("compile: submitit parameters", () => {
  test("a valid parameter object compiles to the IR of the equivalent #SBATCH script", () => {
    let compiled = 0;
    fc.assert(
      fc.property(docs, (doc) => {
        const text = JSON.stringify(doc, null, 2);
        const fromJson = compile(text, { filename: "params.json", slurm: { set: {}, env: {} } });
        checkSpans(text, fromJson);
        const script = equivalentScript(doc);
        const fromScript = compile(script, { filename: "job.sbatch", slurm: { set: {}, env: {} } });
        expect(fromJson.ir).toEqual(fromScript.ir);
        if (fromScript.ok) expect(fromJson.ok).toBe(true);
        expect(fromJson.bids).toEqual(fromScript.bids);
        if (fromJson.ok) compiled++;
      }),
      { numRuns: 150 },
    );
    // The generator makes jobs the cloud can run: most of them compile, so the equality is not vacuous.
    expect(compiled).toBeGreaterThan(100);
  });

  test("any JSON value, as the document or as its parameters, compiles without throwing", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, asParameters) => {
        const doc = asParameters ? { parameters: value, command: ["x"] } : value;
        const text = JSON.stringify(doc) ?? "null";
        const result = compile(text, { filename: "params.json" });
        checkSpans(text, result);
        if (!result.ok) expect(result.bids).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  test("any mix of known names with arbitrary values compiles without throwing", () => {
    const names = [
      "name",
      "timeout_min",
      "nodes",
      "mem_gb",
      "slurm_time",
      "slurm_gres",
      "slurm_exclusive",
      "partition",
      "setup",
      "slurm_additional_parameters",
      "local_setup",
      "slurm_use_srun",
      "slurm_srun_args",
      "valueOf",
      "__proto__",
      "slurm_constructor",
      "local_toString",
    ];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...names), fc.jsonValue({ maxDepth: 2 })),
        fc.jsonValue({ maxDepth: 2 }),
        (parameters, command) => {
          const text = JSON.stringify({ parameters, command });
          checkSpans(text, compile(text, { filename: "params.json" }));
        },
      ),
      { numRuns: 300 },
    );
  });
});
