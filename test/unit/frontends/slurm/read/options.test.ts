import { describe, expect, test } from "vitest";
import {
  EARLY_PASS_OPTIONS,
  NOT_ACCEPTED_SPELLINGS,
  optionByLong,
  optionByShort,
  resolveLongOption,
  SBATCH_OPTIONS,
} from "../../../../../src/frontends/slurm/options.ts";

function resolvesTo(prefix: string): string | string[] | undefined {
  const r = resolveLongOption(prefix);
  if (r.kind === "exact" || r.kind === "prefix") return r.spec.long;
  if (r.kind === "ambiguous") return r.candidates.map((c) => c.long);
  return undefined;
}

describe("the sbatch option table (spec §7.2)", () => {
  test("every long name and every short letter appears once", () => {
    const longs = SBATCH_OPTIONS.map((o) => o.long);
    expect(new Set(longs).size).toBe(longs.length);
    const shorts = SBATCH_OPTIONS.flatMap((o) => (o.short ? [o.short] : []));
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(longs.length).toBe(120);
  });

  test("short letters are the spec's", () => {
    const shorts = Object.fromEntries(SBATCH_OPTIONS.flatMap((o) => (o.short ? [[o.short, o.long]] : [])));
    expect(shorts).toEqual({
      A: "account",
      a: "array",
      b: "begin",
      D: "chdir",
      M: "clusters",
      C: "constraint",
      S: "core-spec",
      c: "cpus-per-task",
      d: "dependency",
      m: "distribution",
      e: "error",
      x: "exclude",
      B: "extra-node-info",
      G: "gpus",
      h: "help",
      H: "hold",
      i: "input",
      J: "job-name",
      L: "licenses",
      k: "no-kill",
      F: "nodefile",
      w: "nodelist",
      N: "nodes",
      n: "ntasks",
      o: "output",
      O: "overcommit",
      s: "oversubscribe",
      p: "partition",
      q: "qos",
      Q: "quiet",
      t: "time",
      v: "verbose",
      V: "version",
      W: "wait",
    });
  });

  test("optional arguments are exactly the spec's seven (§5.1)", () => {
    const optional = SBATCH_OPTIONS.filter((o) => o.arg === "optional").map((o) => o.long);
    expect(optional.sort()).toEqual([
      "exclusive",
      "nice",
      "no-kill",
      "oom-kill-step",
      "propagate",
      "requeue",
      "resv-ports",
    ]);
  });

  test("flags have the grammar `none`; options with an argument never do", () => {
    for (const o of SBATCH_OPTIONS) expect(o.grammar === "none").toBe(o.arg === "none");
  });

  test("classes and grammars of the most used options", () => {
    expect(optionByLong("time")).toMatchObject({
      short: "t",
      arg: "required",
      grammar: "time",
      class: "TIME",
    });
    expect(optionByLong("gres")).toMatchObject({ arg: "required", grammar: "gres", class: "RES" });
    expect(optionByLong("output")).toMatchObject({ grammar: "filename", class: "IO" });
    expect(optionByLong("mail-user")?.class).toBe("POLICY");
    expect(optionByLong("uid")?.class).toBe("N/A");
    expect(optionByShort("N")?.long).toBe("nodes");
    expect(optionByShort("Z")).toBeUndefined();
  });

  test("early-pass options (§5.6) and refused spellings (§7.3)", () => {
    expect([...EARLY_PASS_OPTIONS].sort()).toEqual(["help", "quiet", "usage", "verbose", "version", "wrap"]);
    const refused = new Map(NOT_ACCEPTED_SPELLINGS.map((o) => [o.long, o]));
    expect(refused.get("workdir")).toMatchObject({ kind: "renamed", replacement: "chdir" });
    expect(refused.get("share")).toMatchObject({ kind: "renamed", replacement: "oversubscribe" });
    expect(refused.get("power")?.kind).toBe("removed");
    for (const srun of [
      "immediate",
      "jobid",
      "mpi",
      "cpu-bind",
      "pty",
      "label",
      "kill-on-bad-exit",
      "exact",
      "overlap",
    ]) {
      expect(refused.get(srun)?.kind).toBe("srun");
    }
    for (const r of NOT_ACCEPTED_SPELLINGS) expect(optionByLong(r.long)).toBeUndefined();
  });
});

describe("getopt_long's prefix rule (spec §5.1)", () => {
  test.each([
    ["part", "partition"],
    ["job", "job-name"],
    ["dep", "dependency"],
    ["sig", "signal"],
    ["out", "output"],
    ["err", "error"],
    ["arr", "array"],
    ["req", "requeue"],
    ["tasks", "tasks-per-node"],
  ])("--%s abbreviates --%s", (prefix, long) => {
    expect(resolveLongOption(prefix)).toMatchObject({ kind: "prefix", spec: { long } });
  });

  test.each(["mem", "time", "gpus", "nodes", "ntasks", "export", "exclusive", "constraint", "cluster"])(
    "--%s is exact even though it prefixes other names",
    (name) => {
      expect(resolveLongOption(name)).toMatchObject({ kind: "exact", spec: { long: name } });
    },
  );

  test.each([
    "mem-per",
    "cpus",
    "gpu",
    "tim",
    "node",
    "ntasks-per",
    "gpus-per",
    "acc",
    "excl",
    "exp",
    "mail",
    "res",
    "con",
  ])("--%s is ambiguous", (prefix) => {
    const r = resolvesTo(prefix);
    expect(Array.isArray(r)).toBe(true);
    for (const c of r as string[]) expect(c.startsWith(prefix)).toBe(true);
  });

  test("candidates are listed in table order; unknown names resolve to nothing", () => {
    expect(resolvesTo("cpus")).toEqual(["cpus-per-gpu", "cpus-per-task"]);
    expect(resolvesTo("clu")).toEqual(["cluster", "cluster-constraint", "clusters"]);
    expect(resolveLongOption("workdir")).toEqual({ kind: "unknown" });
    expect(resolveLongOption("")).toEqual({ kind: "unknown" });
  });
});
