/**
 * srun's command line read as srun reads it: where options stop, attached and separate values,
 * option clusters, unique prefixes, and what the shim does with each option.
 */
import { describe, expect, test } from "vitest";
import { analyzeBody } from "../../../../../src/frontends/slurm/body/analyze.ts";
import { type ShellCommand, scanShell } from "../../../../../src/frontends/slurm/body/scan.ts";
import {
  readSrunOptions,
  SRUN_OPTIONS,
  type SrunOption,
  srunLongFlagsForShim,
} from "../../../../../src/frontends/slurm/body/srun-options.ts";
import { createSourceFile } from "../../../../../src/source/source-file.ts";

/** The options of the srun command in `line` as `spelled=value->name`, and the program's first word. */
function read(line: string): { options: string[]; program: string | undefined } {
  const out: { options: string[]; program: string | undefined } = { options: [], program: undefined };
  scanShell(line, 0, "SLURM", {
    command(cmd: ShellCommand) {
      const at = readSrunOptions(cmd, cmd.first, (use) => {
        out.options.push(`${use.spelled}=${use.value ?? ""}->${use.option?.name ?? "?"}`);
      });
      out.program = at < cmd.count ? cmd.value(at) : undefined;
    },
    variable() {},
    assignment() {},
  });
  return out;
}

describe("srun options", () => {
  test("attached, separate and = values; options stop at the program", () => {
    expect(read("srun -n4 -N 2 --ntasks-per-node=2 --mpi pmix python -n 3")).toEqual({
      options: ["-n=4->ntasks", "-N=2->nodes", "--ntasks-per-node=2->ntasks-per-node", "--mpi=pmix->mpi"],
      program: "python",
    });
  });

  test("clusters of short flags; a valued letter takes the rest of the word", () => {
    expect(read("srun -lun2 x").options).toEqual(["-l=->label", "-u=->unbuffered", "-n=2->ntasks"]);
  });

  test("-- ends the options; optional values are only attached", () => {
    expect(read("srun --exclusive -- -weird")).toEqual({
      options: ["--exclusive=->exclusive"],
      program: "-weird",
    });
    expect(read("srun --kill-on-bad-exit 1").program).toBe("1");
  });

  test("prefixes: unique resolves, ambiguous and unknown do not", () => {
    expect(read("srun --ntasks-per-no=2 --cpus=3 --nope x").options).toEqual([
      "--ntasks-per-no=2->ntasks-per-node",
      "--cpus=3->?",
      "--nope=->?",
    ]);
  });

  test("the table has no duplicate names or short letters", () => {
    const names = SRUN_OPTIONS.map((o) => o.name);
    const shorts = SRUN_OPTIONS.flatMap((o) => (o.short ? [o.short] : []));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(shorts).size).toBe(shorts.length);
  });

  test("exactly the options the shim honours are marked honoured", () => {
    expect(
      SRUN_OPTIONS.filter((o) => o.kind === "honoured")
        .map((o) => o.name)
        .sort(),
    ).toEqual(
      [
        "cpus-per-task",
        "export",
        "gpus",
        "gpus-per-node",
        "gpus-per-socket",
        "gpus-per-task",
        "gres",
        "label",
        "nodes",
        "ntasks",
        "ntasks-per-node",
        "tasks-per-node",
      ].sort(),
    );
  });
  test("the shim's pattern of flags: from each one's shortest abbreviation no valued option shares", () => {
    const table = (entries: [string, 0 | 1 | 2][]): SrunOption[] =>
      entries.map(([name, arg]) => ({ name, arg, kind: "harmless" }));
    // --o could be --output: the flags start at ov; --bcast starts --bcast-exclude: only in full.
    expect(
      srunLongFlagsForShim(
        table([
          ["overlap", 0],
          ["output", 1],
          ["overcommit", 2],
          ["bcast", 2],
          ["bcast-exclude", 1],
          ["container", 1],
          ["container-writable", 0],
          ["hold", 0],
        ]),
      ),
    ).toBe("@(bcast|@(container-|h|ov)*)");
    // A start already covered by a shorter one is dropped; a shared start is written once.
    expect(
      srunLongFlagsForShim(
        table([
          ["container", 1],
          ["container-mounts", 1],
          ["container-mount-home", 0],
          ["container-remap-root", 0],
          ["container-writable", 0],
          ["container-env", 1],
          ["container-entrypoint", 0],
          ["container-entrypoint-log", 0],
          ["nodes", 1],
          ["no-kill", 2],
          ["no-container-mount-home", 0],
        ]),
      ),
    ).toBe("@(container-@(ent|mount-|r|w)|no-)*");
    expect(srunLongFlagsForShim(table([["hold", 0]]))).toBe("h*");
  });
});

describe("unknown srun options in bulk", () => {
  test("each is reported; did-you-mean guesses stop after 64 per script (each costs an edit distance per option)", () => {
    const lines = Array.from(
      { length: 100 },
      (_, k) => `srun --ntasks${String(k).padStart(2, "0")} python x.py`,
    );
    const { diagnostics } = analyzeBody(
      createSourceFile("job.sbatch", `#!/bin/bash\n${lines.join("\n")}\n`),
      0,
      {
        numNodes: 1,
        hasImage: false,
      },
    );
    const unknown = diagnostics.filter(
      (d) => d.code === "SBATCH032" && d.message.includes("srun has no option"),
    );
    expect(unknown).toHaveLength(100);
    expect(unknown.slice(0, 64).every((d) => d.suggestions[0]?.message === "did you mean `--ntasks`?")).toBe(
      true,
    );
    expect(unknown.slice(64).every((d) => d.suggestions.length === 0)).toBe(true);
  });
});
