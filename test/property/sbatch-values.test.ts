/**
 * Properties of the sbatch value parsers (spec `slurm.md` §8): every parser is total (it never
 * throws, and every suggestion it makes is itself accepted); durations, arrays and memory sizes
 * printed in each accepted form parse back to what sbatch would compute; file-name templates
 * survive print → parse unchanged, and bash renders them exactly as `expandFilename` does.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  type ArraySpec,
  FILENAME_FIELDS,
  type FilenamePart,
  type FilenameTemplate,
  parseArray,
  parseConstraint,
  parseDependency,
  parseDistribution,
  parseExport,
  parseFilename,
  parseGpus,
  parseGres,
  parseHint,
  parseInteger,
  parseMailType,
  parseMemory,
  parseNodeList,
  parseNodes,
  parseOpenMode,
  parsePositiveInt,
  parseSignal,
  parseTime,
  parseTimePoint,
  parseTimeSeconds,
  parseTresPerTask,
  printFilename,
  type ValueResult,
} from "../../src/frontends/slurm/values/index.ts";

const PARSERS: Readonly<Record<string, (text: string) => ValueResult<unknown>>> = {
  int: (t) => parseInteger(t),
  positive: (t) => parsePositiveInt(t),
  time: (t) => parseTime(t),
  timeSeconds: parseTimeSeconds,
  memory: (t) => parseMemory(t),
  nodes: parseNodes,
  nodeList: parseNodeList,
  gres: parseGres,
  gpus: (t) => parseGpus(t),
  gpusPerTask: (t) => parseGpus(t, { option: "--gpus-per-task" }),
  array: (t) => parseArray(t),
  filename: parseFilename,
  export: parseExport,
  signal: parseSignal,
  timePoint: parseTimePoint,
  constraint: parseConstraint,
  dependency: parseDependency,
  mailType: parseMailType,
  openMode: parseOpenMode,
  distribution: parseDistribution,
  hint: parseHint,
  tresPerTask: parseTresPerTask,
};

/** Pieces of every grammar and of the usual mistakes, so random strings reach deep parser paths. */
const FRAGMENTS = [
  ..."0123456789",
  "00",
  "15",
  "1001",
  "65535",
  "2147483647",
  "99999999999999999999",
  "-",
  ":",
  ",",
  "%",
  "[",
  "]",
  "(",
  ")",
  "*",
  "&",
  "|",
  "?",
  "=",
  "@",
  "+",
  ".",
  "/",
  "\\",
  "'",
  '"',
  " ",
  "\t",
  "\n",
  "k",
  "K",
  "m",
  "M",
  "G",
  "gb",
  "GiB",
  "T",
  "P",
  "b",
  "B",
  "R",
  "r",
  "SIG",
  "USR1",
  "usr2",
  "WINCH",
  "now",
  "hour",
  "hours",
  "min",
  "today",
  "Today",
  "tomorrow",
  "noon",
  "teatime",
  "am",
  "PM",
  "uts",
  "T",
  "UNLIMITED",
  "infinite",
  "gpu",
  "gres/",
  "gres:",
  "cpu",
  "license/",
  "a100",
  "tesla_v100",
  "1g.10gb",
  "none",
  "help",
  "ALL",
  "NONE",
  "NIL",
  "after",
  "afterok",
  "singleton",
  "_*",
  "block",
  "cyclic",
  "fcyclic",
  "plane",
  "pack",
  "nomultithread",
  "append",
  "%j",
  "%4a",
  "%%",
  "%x",
  "$N",
  "{{n}}",
  "–",
  "\u00a0",
  "\uff11",
  "😀",
  "\u0000",
  "ß",
];
const fragmentString = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 10 })
  .map((parts) => parts.join(""));
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fragmentString,
  fragmentString,
);

describe("every parser is total", () => {
  test.prop([anyString], { numRuns: 3000 })(
    "never throws; rejections explain; suggestions are accepted",
    (text) => {
      for (const [name, parse] of Object.entries(PARSERS)) {
        let result: ValueResult<unknown>;
        try {
          result = parse(text);
        } catch (error) {
          throw new Error(`${name} threw on ${JSON.stringify(text)}: ${String(error)}`);
        }
        if (result.ok) {
          expect(result.value, name).toBeDefined();
          for (const note of result.notes ?? []) expect(note.length, name).toBeGreaterThan(0);
        } else {
          expect(result.message.length, name).toBeGreaterThan(0);
          for (const suggestion of result.suggestions ?? []) {
            expect(
              parse(suggestion).ok,
              `${name}: suggestion ${JSON.stringify(suggestion)} for ${JSON.stringify(text)}`,
            ).toBe(true);
          }
        }
      }
    },
  );

  test.prop([fc.anything()], { numRuns: 300 })("non-strings are rejected, not thrown on", (value) => {
    for (const parse of Object.values(PARSERS)) {
      if (typeof value !== "string") expect(parse(value as string).ok).toBe(false);
    }
  });
});

/** A duration as days, hours, minutes, seconds, small enough for sbatch's 32-bit arithmetic. */
const durationArb = fc.record({
  d: fc.integer({ min: 0, max: 400 }),
  h: fc.integer({ min: 0, max: 99 }),
  m: fc.integer({ min: 0, max: 999 }),
  s: fc.integer({ min: 0, max: 999 }),
  padding: fc.integer({ min: 0, max: 3 }),
});

describe("durations (§8.2)", () => {
  test.prop([durationArb], { numRuns: 1000 })(
    "every accepted format parses back to sbatch's minutes",
    (t) => {
      const p = (n: number) => String(n).padStart(t.padding, "0");
      const forms: [string, number][] = [
        [p(t.m), t.m * 60],
        [`${p(t.m)}:${p(t.s)}`, t.m * 60 + t.s],
        [`${p(t.h)}:${p(t.m)}:${p(t.s)}`, t.h * 3600 + t.m * 60 + t.s],
        [`${p(t.d)}-${p(t.h)}`, t.d * 86400 + t.h * 3600],
        [`${p(t.d)}-${p(t.h)}:${p(t.m)}`, t.d * 86400 + t.h * 3600 + t.m * 60],
        [`${p(t.d)}-${p(t.h)}:${p(t.m)}:${p(t.s)}`, t.d * 86400 + t.h * 3600 + t.m * 60 + t.s],
      ];
      for (const [text, seconds] of forms) {
        const minutes = Math.ceil(seconds / 60);
        const parsed = parseTime(text);
        expect(parsed, text).toMatchObject({
          ok: true,
          value: { minutes: minutes === 0 ? "unlimited" : minutes },
        });
        expect(parseTimeSeconds(text), text).toMatchObject({ ok: true, value: { seconds } });
      }
    },
  );

  test.prop([fc.integer({ min: 1, max: 35791393 })])(
    "canonical D-HH:MM:SS of whole minutes is exact",
    (minutes) => {
      const d = Math.floor(minutes / 1440);
      const hh = String(Math.floor((minutes % 1440) / 60)).padStart(2, "0");
      const mm = String(minutes % 60).padStart(2, "0");
      expect(parseTime(`${d}-${hh}:${mm}:00`)).toEqual({ ok: true, value: { minutes } });
    },
  );
});

/** One `--array` token and the indices it stands for. */
const tokenArb = fc
  .record({
    first: fc.integer({ min: 0, max: 1000 }),
    length: fc.integer({ min: 0, max: 60 }),
    step: fc.integer({ min: 1, max: 12 }),
    kind: fc.constantFrom("single", "range", "step"),
    brackets: fc.boolean(),
  })
  .map(({ first, length, step, kind, brackets }) => {
    const last = Math.min(1000, first + length);
    const body =
      kind === "single" ? `${first}` : kind === "range" ? `${first}-${last}` : `${first}-${last}:${step}`;
    const ids: number[] = [];
    if (kind === "single") ids.push(first);
    else for (let i = first; i <= last; i += kind === "step" ? step : 1) ids.push(i);
    return { text: brackets ? `[${body}]` : body, ids, step: kind === "step" ? step : undefined };
  });

describe("arrays (§8.7)", () => {
  test.prop(
    [fc.array(tokenArb, { minLength: 1, maxLength: 6 }), fc.option(fc.integer({ min: 0, max: 5000 }))],
    {
      numRuns: 1000,
    },
  )("ranges, steps, lists and limits parse to the union of their indices", (tokens, limit) => {
    const text = tokens.map((t) => t.text).join(",") + (limit === null ? "" : `%${limit}`);
    const expected: ArraySpec = {
      taskIds: [...new Set(tokens.flatMap((t) => t.ids))].sort((a, b) => a - b),
      ...(limit === null || limit === 0 ? {} : { maxRunning: limit }),
      step: tokens.find((t) => t.step !== undefined)?.step ?? 1,
    };
    const parsed = parseArray(text);
    if (!parsed.ok) expect.fail(`${text}: ${parsed.message}`);
    expect(parsed.value).toEqual(expected);
  });

  test.prop([fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 })])(
    "a shuffled list of indices parses to the sorted set",
    (ids) => {
      const parsed = parseArray(ids.join(","));
      expect(parsed.ok && parsed.value.taskIds).toEqual([...ids].sort((a, b) => a - b));
    },
  );
});

describe("memory sizes (§8.3)", () => {
  const unitArb = fc.constantFrom(
    ["", 1, 1],
    ["K", 1, 1024],
    ["M", 1, 1],
    ["G", 1024, 1],
    ["T", 1048576, 1],
  ) as fc.Arbitrary<[string, number, number]>;
  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), unitArb, fc.boolean(), fc.constantFrom("", "B", "b")], {
    numRuns: 2000,
  })(
    "N<unit> is N × the unit in MB (K rounded up), in any case, with or without B",
    (n, [unit, multiply, divide], lower, b) => {
      const text = `${n}${lower ? unit.toLowerCase() : unit}${unit === "" ? "" : b}`;
      const expected = divide === 1 ? n * multiply : Math.ceil(n / divide);
      expect(parseMemory(text), text).toMatchObject({ ok: true, value: { mb: expected } });
    },
  );
});

/** Text of a file-name template: no backslash (it switches patterns off) and never empty. */
const textArb = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(..."%/._-ab xyzqYd9$`\"'!*?"),
      fc.string({ unit: "grapheme", maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 8,
  })
  .filter((t) => t !== "" && !t.includes("\\"));
const fieldArb: fc.Arbitrary<FilenamePart> = fc.record(
  {
    kind: fc.constant("field" as const),
    field: fc.constantFrom(...FILENAME_FIELDS),
    pad: fc.integer({ min: 0, max: 10 }),
  },
  { requiredKeys: ["kind", "field"] },
);
const templateArb: fc.Arbitrary<FilenameTemplate> = fc
  .array(
    fc.oneof(
      textArb.map((text): FilenamePart => ({ kind: "text", text })),
      fieldArb,
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => ({ parts: mergeText(parts) }))
  .filter(
    (t) => !(t.parts.length === 1 && t.parts[0]?.kind === "text" && t.parts[0].text.toLowerCase() === "none"),
  );

function mergeText(parts: FilenamePart[]): FilenamePart[] {
  const out: FilenamePart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === "text" && last?.kind === "text")
      out[out.length - 1] = { kind: "text", text: last.text + part.text };
    else out.push(part);
  }
  return out;
}

describe("file-name patterns (§8.8)", () => {
  test.prop([templateArb], { numRuns: 2000 })("parse(print(template)) is the template", (template) => {
    const text = printFilename(template);
    expect(parseFilename(text)).toMatchObject({ ok: true, value: template });
  });
});
