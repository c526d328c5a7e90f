/**
 * Properties of reading batch scripts: `readSbatch` is total (any text, binary, huge lines), every
 * span lies inside the file and inside one line, and printing random directives — random options
 * of the table, random spellings (long, `=`, separate, unique prefix, short attached, short
 * separate, clusters), random quoting and line breaks — then reading them back gives the options
 * and values that were printed, last occurrence winning.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  EARLY_PASS_OPTIONS,
  OVERRIDING_PAIRS,
  resolveLongOption,
  SBATCH_OPTIONS,
  type SlurmOptionSpec,
} from "../../src/frontends/slurm/options.ts";
import { readSbatch } from "../../src/frontends/slurm/read/index.ts";
import { effectiveKey } from "../../src/frontends/slurm/read/resolve-effective.ts";
import type { Span } from "../../src/source/source-file.ts";
import { createSourceFile } from "../../src/source/source-file.ts";

function checkSpans(text: string) {
  const file = createSourceFile("p.sbatch", text);
  const reading = readSbatch(file, { env: { SBATCH_TIMELIMIT: "5" } });
  const inside = (s: Span | undefined) => {
    if (!s) return;
    expect(s.start).toBeGreaterThanOrEqual(0);
    expect(s.end).toBeGreaterThanOrEqual(s.start);
    expect(s.end).toBeLessThanOrEqual(text.length);
  };
  const inOneLine = (s: Span | undefined) => {
    inside(s);
    if (s) expect(text.slice(s.start, s.end)).not.toContain("\n");
  };
  for (const d of reading.diagnostics) {
    inOneLine(d.span);
    for (const n of d.notes) inOneLine(n.span);
    for (const s of d.suggestions) inOneLine(s.span);
  }
  for (const o of reading.occurrences) {
    inside(o.span);
    inOneLine(o.nameSpan);
    inOneLine(o.valueSpan);
  }
  return reading;
}

const directiveish = fc
  .array(
    fc.constantFrom(
      "#SBATCH",
      "#SLURM",
      "#sbatch",
      "# SBATCH",
      "  #SBATCH",
      "##SBATCH",
      "#PBS",
      "#!",
      "\n",
      "\r\n",
      "\r",
      " ",
      "\t",
      "-",
      "--",
      "-N",
      "--time",
      "=",
      "2",
      "job",
      '"',
      "'",
      "\\",
      "#",
      ":",
      "hetjob",
      "{{n}}",
      "$X",
      "<x>",
      "@y@",
      "{%",
      "%}",
      "\u2013",
      "\0",
      "😀",
      "echo",
      "\uFEFF",
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("readSbatch is total and its spans are sound", () => {
  test.prop([fc.string()])("any string", (text) => {
    checkSpans(text);
  });

  test.prop([fc.string({ unit: "binary", maxLength: 300 })])("any binary string", (text) => {
    checkSpans(text);
  });

  test.prop([directiveish], { numRuns: 1000 })("strings made of directive fragments", (text) => {
    checkSpans(`#!/bin/bash\n${text}`);
    checkSpans(text);
  });

  test.prop(
    [
      fc.integer({ min: 10_000, max: 120_000 }),
      fc.constantFrom("a", " ", '"', "\\", "-N", "{{", "$", "\\ ", "$a\\ ", "# ", "-\\H", "{{a}}"),
    ],
    { numRuns: 20 },
  )("very long lines", (n, unit) => {
    const long = unit.repeat(Math.ceil(n / unit.length));
    checkSpans(`#!/bin/bash\n#SBATCH ${long}\n#SBATCH -J ${long}\n${long}\n`);
  });
});

// ── round trip ────────────────────────────────────────────────────────────────────────────────

const SAMPLES: Readonly<Record<string, readonly string[]>> = {
  time: ["10", "1:30", "24:00:00", "1-12", "2-00:00:00", "UNLIMITED"],
  memory: ["4G", "16384", "32GB", "0", "512m"],
  nodes: ["1", "2", "2-4"],
  gres: ["gpu:a100:4", "gpu:2", "gpu", "gpu:tesla_v100:1,nvme:1"],
  gpus: ["1", "a100:8", "v100:2"],
  array: ["0-99%10", "1-10:3", "1,3,5"],
  filename: ["logs/%x_%j.out", "out%j.log", "/dev/null", "slurm-%A_%a.out"],
  export: ["ALL", "NONE", "ALL,MSG=a b", "A=1,B=2"],
  signal: ["B:USR1@300", "USR2", "TERM@120"],
  "time-point": ["now+1hour", "2030-01-01T10:00:00", "16:00"],
  constraint: ["a100", "v100|a100", "[rack1*2&rack2*4]"],
  dependency: ["afterok:123", "singleton", "afterany:1:2,afterok:3"],
  int: ["1", "8", "64"],
  string: ["my job", "x", "run #3", 'say "hi"', "it's"],
};
const ALPHABET = "abcXYZ019 -_.,:/=%+*\"'\\#\t{}$@<>!";

const APPLICABLE = SBATCH_OPTIONS.filter((o) => !EARLY_PASS_OPTIONS.has(o.long));

/** The shortest prefix of `long` that getopt resolves to it. */
function shortestPrefix(long: string): number {
  for (let n = 1; n <= long.length; n++) {
    const r = resolveLongOption(long.slice(0, n));
    if ((r.kind === "prefix" || r.kind === "exact") && r.spec.long === long) return n;
  }
  return long.length;
}

type Quoting = "plain" | "double" | "single" | "escaped";

/** The source text of a word whose value sbatch's tokenizer reads back as `value`. */
function printWord(value: string, quoting: Quoting): string {
  const needsCare = value === "" || /[ \t"'\\#{]/.test(value) || value.startsWith(":");
  const q = quoting === "plain" && needsCare ? "double" : quoting;
  if (q === "plain") return value;
  if (q === "escaped" && !/[\t]/.test(value) && value !== "")
    return value.replace(/[ "'\\#{:]/g, (c) => `\\${c}`);
  const mark = q === "single" ? "'" : '"';
  return `${mark}${value.replace(/[\\"']/g, (c) => `\\${c}`)}${mark}`;
}

interface Planned {
  readonly spec: SlurmOptionSpec;
  readonly value: string | undefined;
  readonly spelling: "long" | "prefix" | "short";
  readonly separate: boolean;
  readonly prefixExtra: number;
  readonly quoting: Quoting;
  readonly newLineBefore: boolean;
  readonly valueOnNextLine: boolean;
  readonly cluster: boolean;
}

const quoting = fc.constantFrom<Quoting>("plain", "double", "single", "escaped");

const planned: fc.Arbitrary<Planned> = fc
  .record({
    spec: fc.constantFrom(...APPLICABLE),
    sample: fc.oneof(fc.constant(undefined), fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 8 })),
    pick: fc.nat(),
    withValue: fc.boolean(),
    spelling: fc.constantFrom("long", "prefix", "short") as fc.Arbitrary<"long" | "prefix" | "short">,
    separate: fc.boolean(),
    prefixExtra: fc.nat({ max: 20 }),
    quoting,
    newLineBefore: fc.boolean(),
    valueOnNextLine: fc.boolean(),
    cluster: fc.boolean(),
  })
  .map((r) => {
    const samples = SAMPLES[r.spec.grammar] ?? SAMPLES.string!;
    let value: string | undefined =
      r.spec.arg === "none" || (r.spec.arg === "optional" && !r.withValue)
        ? undefined
        : (r.sample ?? samples[r.pick % samples.length]!);
    if (value !== undefined && /^(?:hetjob|packjob)$/i.test(value)) value = `${value}x`;
    const spelling = r.spelling === "short" && r.spec.short === undefined ? "long" : r.spelling;
    // A separate value must be a non-empty word, and only a required argument may be separate.
    const separate = r.separate && r.spec.arg === "required" && value !== "";
    // An attached short value must not be empty (`-J""` is the word `-J`).
    const fixedSpelling = spelling === "short" && value === "" ? "long" : spelling;
    return {
      spec: r.spec,
      value,
      spelling: fixedSpelling,
      separate,
      prefixExtra: r.prefixExtra,
      quoting: r.quoting,
      newLineBefore: r.newLineBefore,
      valueOnNextLine: r.valueOnNextLine,
      cluster: r.cluster,
    };
  });

/** Prints planned options as directive lines; returns the script. */
function printScript(plan: readonly Planned[]): string {
  const lines: string[][] = [[]];
  let lastWasShortFlag = false;
  for (const p of plan) {
    if (p.newLineBefore && lines[lines.length - 1]!.length > 0) lines.push([]);
    let current = lines[lines.length - 1]!;
    const isShortFlag = p.spelling === "short" && p.spec.arg === "none";
    if (isShortFlag && p.cluster && lastWasShortFlag && current.length > 0) {
      current[current.length - 1] += p.spec.short!;
      continue;
    }
    lastWasShortFlag = isShortFlag;
    const name =
      p.spelling === "short"
        ? `-${p.spec.short}`
        : p.spelling === "prefix"
          ? `--${p.spec.long.slice(0, Math.min(p.spec.long.length, shortestPrefix(p.spec.long) + (p.prefixExtra % (p.spec.long.length + 1))))}`
          : `--${p.spec.long}`;
    if (p.value === undefined) {
      current.push(name);
      continue;
    }
    const word = printWord(p.value, p.quoting);
    if (p.separate) {
      current.push(name);
      if (p.valueOnNextLine) {
        lines.push([]);
        current = lines[lines.length - 1]!;
      }
      current.push(word);
      lastWasShortFlag = false;
    } else {
      const attached = p.spelling === "short" ? `${name}${word}` : `${name}=${word}`;
      // `-t` + `ime=5` would print `-time=5`, which flow reports as a mistyped long option.
      const mistakable =
        p.spelling === "short" &&
        SBATCH_OPTIONS.some((o) => o.long.length >= 3 && attached.slice(1).split("=")[0] === o.long);
      current.push(...(mistakable ? [name, word] : [attached]));
    }
  }
  return `#!/bin/bash\n${lines
    .filter((l) => l.length > 0)
    .map(
      (l, k) =>
        `#SBATCH${k % 3 === 2 && l[0]!.startsWith("-") ? "" : k % 2 ? "\t" : " "}${l.join(k % 2 ? " \t " : " ")}${k % 4 === 1 ? " # note" : ""}`,
    )
    .join("\n")}\n\npython train.py\n`;
}

/** What sbatch makes of the plan: the last value of each field. */
function expectedValues(plan: readonly Planned[]): Record<string, string | null> {
  const effective = new Map<string, string | null>();
  for (const p of plan) {
    const key = effectiveKey(p.spec.long);
    const partner = OVERRIDING_PAIRS.get(p.spec.long);
    if (partner !== undefined) effective.delete(partner);
    effective.set(key, p.value === undefined ? null : p.value);
  }
  return Object.fromEntries(effective);
}

describe("printing directives and reading them back", () => {
  test.prop([fc.array(planned, { minLength: 1, maxLength: 14 })], { numRuns: 600 })(
    "gives the printed options and values",
    (plan) => {
      const text = printScript(plan);
      const reading = checkSpans(text);
      const values = Object.fromEntries(
        [...reading.effective]
          .filter(([, o]) => o.source === "directive")
          .map(([k, o]) => [k, o.value === undefined ? null : o.value]),
      );
      const expected = expectedValues(plan);
      if (Object.hasOwn(expected, "time") || Object.hasOwn(values, "time")) delete expected.time;
      delete values.time;
      expect(values).toEqual(expected);
      const errors = reading.diagnostics.filter((d) => d.severity === "error" && d.code !== "SBATCH016");
      expect(errors).toEqual([]);
      expect(reading.firstCommandLine).toBe(text.split("\n").indexOf("python train.py"));
    },
  );
});
