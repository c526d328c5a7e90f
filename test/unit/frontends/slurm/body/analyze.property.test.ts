/**
 * Properties of the body analysis on arbitrary input (including binary and lone surrogates): it
 * never throws, every span it returns lies inside the file, it is deterministic, and text inside
 * a comment, a single-quoted string or a here-document body is never reported, whatever it is.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell text, where ${…} is parameter expansion
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { analyzeBody, type BodyAnalysisOptions } from "../../../../../src/frontends/slurm/body/index.ts";
import type { Span } from "../../../../../src/source/source-file.ts";
import { createSourceFile } from "../../../../../src/source/source-file.ts";

const FRAGMENTS = [
  "module load cuda/12.1",
  "ml x",
  "module purge",
  "srun --mpi=pmix -w n1 -lK python",
  "srun --container-image=nvcr.io#a/b:1",
  "mpirun -np 2 singularity exec x.sif y",
  "sbatch x",
  "scontrol show hostnames",
  "scancel $SLURM_JOB_ID",
  "singularity exec docker://a/b:1 c",
  "docker run u:1",
  "conda activate e",
  "source venv/bin/activate",
  ". ~/.bashrc",
  "set -e",
  "export SLURM_TMPDIR=x",
  "$SLURM_STEP_GPUS",
  "${SLURM_TMPDIR:-/t}",
  "$((SLURM_X+1))",
  "${a[SLURM_Y]}",
  "$(",
  ")",
  "`",
  '"',
  "'",
  "$'",
  "\\",
  "\\\n",
  "<<EOF",
  "<<-'E'",
  "EOF",
  "\tE",
  "\n",
  "\r\n",
  "\r",
  ";",
  ";;",
  "&",
  "&&",
  "|",
  "||",
  "(",
  "((",
  "))",
  "{",
  "}",
  "#",
  " # c",
  "case x in",
  "a)",
  "esac",
  "for i in a; do",
  "done",
  "function f",
  "f()",
  "arr=(",
  "${",
  "[",
  "]",
  "<(",
  ">&",
  "2>&1",
  "<<<",
  " ",
  "\t",
  "x",
  "time",
  "env A=1",
  "\u00a0",
  "\ufeff",
  "\ud800",
  "é",
  "#!/usr/bin/env python\n",
  "#!/bin/bash -e\n",
];

const shellish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(""));
const binary = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("latin1"));
const repeated = fc
  .tuple(fc.constantFrom(...FRAGMENTS), fc.integer({ min: 1, max: 3000 }))
  .map(([fragment, n]) => fragment.repeat(n));
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ maxLength: 300 }),
  binary,
  shellish,
  repeated,
);
const options: fc.Arbitrary<BodyAnalysisOptions> = fc.record(
  {
    numNodes: fc.integer({ min: -2, max: 64 }),
    hasImage: fc.boolean(),
    moduleMap: fc.dictionary(
      fc.constantFrom("cuda", "cuda/12.1", "x", "constructor", "__proto__"),
      fc.record(
        { image: fc.constantFrom("a:1", "b:2"), setup: fc.string({ maxLength: 5 }) },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ["numNodes", "hasImage"] },
);

function expectInside(span: Span | undefined, length: number): void {
  if (!span) return;
  expect(span.start).toBeGreaterThanOrEqual(0);
  expect(span.end).toBeGreaterThanOrEqual(span.start);
  expect(span.end).toBeLessThanOrEqual(length);
}

describe("body analysis: properties", () => {
  test.prop([anyText, fc.integer({ min: -5, max: 400 }), options], { numRuns: 400 })(
    "never throws, keeps every span inside the file and is deterministic",
    (text, bodyStart, opts) => {
      const file = createSourceFile("p.sbatch", text);
      const result = analyzeBody(file, bodyStart, opts);
      for (const d of result.diagnostics) {
        expect(d.span).toBeDefined();
        expectInside(d.span, text.length);
        for (const n of d.notes) expectInside(n.span, text.length);
        for (const s of d.suggestions) expectInside(s.span, text.length);
      }
      for (const m of result.facts.modules) expectInside(m.span, text.length);
      for (const c of result.facts.containers) expectInside(c.span, text.length);
      expect(JSON.stringify(analyzeBody(file, bodyStart, opts))).toBe(JSON.stringify(result));
    },
  );

  const quiet = (text: string) =>
    analyzeBody(createSourceFile("p.sbatch", text), 0, { numNodes: 2, hasImage: false }).diagnostics;

  test.prop([fc.oneof(shellish, fc.string({ unit: "binary" })).map((t) => t.replace(/\n/g, " "))])(
    "nothing in a comment is reported",
    (t) => {
      expect(quiet(`#!/bin/bash\n# ${t}\necho ok\n`)).toEqual([]);
    },
  );

  test.prop([fc.oneof(shellish, fc.string({ unit: "binary" })).map((t) => t.replace(/'/g, ""))])(
    "nothing in a single-quoted string is reported",
    (t) => {
      expect(quiet(`#!/bin/bash\necho '${t}' done\n`)).toEqual([]);
    },
  );

  test.prop([
    fc.oneof(shellish, fc.string({ unit: "binary" })).filter((t) => !/(^|\n)ZZ_END(\r?\n|$)/.test(t)),
  ])("nothing in a here-document body is reported", (t) => {
    expect(quiet(`#!/bin/bash\ncat <<'ZZ_END' > x\n${t}\nZZ_END\necho ok\n`)).toEqual([]);
  });
});
