/**
 * The compiled TaskConfig validator (src/ir/compiled-schema.ts) agrees with zod on generated
 * IR-like values, valid and subtly invalid: wrong types, numbers at and past every bound, unsafe
 * integers, NaN and infinities, unknown keys, keys present with `undefined`, a missing `name`,
 * strings too long or missing a pattern. It returns a value exactly when zod succeeds, and then
 * zod's value with zod's key order.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import * as z from "zod/mini";
import { compileSchema } from "../../src/ir/compiled-schema.ts";
import { TaskConfigSchema } from "../../src/ir/task-config.ts";

const fast = compileSchema(TaskConfigSchema);

/** Key order, values and `undefined` of a value, deeply (JSON.stringify would drop `undefined`). */
function shapeOf(value: unknown): unknown {
  if (value === undefined) return "<undefined>";
  if (typeof value === "number" && !Number.isFinite(value)) return `<${value}>`;
  if (Array.isArray(value)) return ["<array>", ...value.map(shapeOf)];
  if (typeof value === "object" && value !== null) {
    return Object.keys(value).map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]);
  }
  return value;
}

function agrees(input: unknown): void {
  const mine = fast(input);
  const zods = z.safeParse(TaskConfigSchema, input);
  expect(mine !== undefined).toBe(zods.success);
  if (zods.success) {
    expect(JSON.stringify(mine)).toBe(JSON.stringify(zods.data));
    expect(shapeOf(mine)).toEqual(shapeOf(zods.data));
  }
}

const BOUNDARY_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  1.5,
  63,
  64,
  65,
  99,
  100,
  101,
  167.9999,
  168,
  168.00001,
  255,
  256,
  257,
  31999,
  32000,
  32001,
  100000,
  100000.5,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  Number.MIN_SAFE_INTEGER,
  -(2 ** 53),
  2 ** 60,
  1e300,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  Number.EPSILON,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

const number = fc.oneof(
  fc.constantFrom(...BOUNDARY_NUMBERS),
  fc.integer({ min: -5, max: 40000 }),
  fc.double({ min: -1, max: 200 }),
);

const pair = "\u{1F600}";
const text = fc.oneof(
  fc.constantFrom("", "a", "x1", "-x", "a b", "A_b-9", "\0", "\uD800", `${pair}`, "é", "/data", "s3://b"),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.stringMatching(/^[a-z][-a-z0-9]{0,70}$/),
  fc.integer({ min: 60, max: 70 }).map((n) => "a".repeat(n)),
  fc.integer({ min: 505, max: 515 }).map((n) => "b".repeat(n)),
);

/** Any odd value: the wrong type for most fields. */
const odd: fc.Arbitrary<unknown> = fc.oneof(
  number,
  text,
  fc.constantFrom(null, undefined, true, false, [], {}, [""], ["a", 1], { a: 1 }),
);

/** `value`'s keys in an order picked by `seed` (zod's output has them in shape order whatever the input's). */
function shuffled(value: Record<string, unknown>, seed: number): Record<string, unknown> {
  const rank = (key: string) =>
    [...key].reduce((h, c) => (h * 31 + (c.codePointAt(0) ?? 0) + seed) % 1009, seed);
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((k) => [k, value[k]]));
}

/** How often a generated value is odd: 1 in `odds + 1` fields (0: never). */
interface Odds {
  readonly field: number;
}

/** The generators of one odds setting: `oddsOf.field === 0` leans hard towards valid tasks. */
function generators(odds: Odds) {
  /** Mostly `valid`, sometimes anything. */
  const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
    odds.field === 0
      ? valid
      : fc.oneof({ weight: odds.field, arbitrary: valid }, { weight: 1, arbitrary: odd });
  const int = (min: number, max: number) =>
    odds.field === 0
      ? fc.integer({ min: Math.max(min, 1), max: Math.max(Math.min(max, 8), 1) })
      : fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: number });
  const positive =
    odds.field === 0
      ? fc.double({ min: 0.01, max: 100, noNaN: true })
      : fc.oneof(fc.double({ min: Number.MIN_VALUE, max: 200, noNaN: true }), number);
  const word = odds.field === 0 ? fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/) : text;

  /** A strict object's fields: some absent, one maybe `undefined`, a required one maybe missing, an unknown key maybe. */
  function strict(
    fields: Record<string, fc.Arbitrary<unknown>>,
    required: readonly string[] = [],
  ): fc.Arbitrary<Record<string, unknown>> {
    const keys = Object.keys(fields);
    const flip = 6;
    return fc
      .tuple(
        fc.record(fields, { requiredKeys: [...required] }),
        fc.option(fc.constantFrom(...keys), { freq: flip, nil: undefined }),
        required.length
          ? fc.option(fc.constantFrom(...required), { freq: flip, nil: undefined })
          : fc.constant(undefined),
        fc.option(fc.constantFrom("nme", "gpu", "extra", "__proto__", "0"), { freq: flip, nil: undefined }),
        fc.nat(),
      )
      .map(([value, undefinedKey, missingKey, unknownKey, order]) => {
        const out = shuffled(value, order);
        if (odds.field === 0) return out;
        if (undefinedKey !== undefined) out[undefinedKey] = undefined;
        if (missingKey !== undefined) delete out[missingKey];
        if (unknownKey !== undefined) {
          Object.defineProperty(out, unknownKey, { value: 1, enumerable: true, writable: true });
        }
        return out;
      });
  }

  const stringList = fc.array(mostly(word), { minLength: odds.field === 0 ? 1 : 0, maxLength: 3 });

  const volume = strict({
    name: mostly(word),
    size_gb: int(0, 32001),
    mount_path: mostly(word),
    interface: mostly(fc.constantFrom("block", "file", ...(odds.field ? ["nfs"] : []))),
    iops: int(-1, 5000),
    volume_id: mostly(word),
  });

  const mount = strict(
    {
      source: mostly(fc.oneof(fc.constant("s3://b"), word)),
      target: mostly(word),
      mount_type: mostly(fc.constantFrom("bind", "volume", "s3fs")),
      options: mostly(fc.dictionary(word, odd, { maxKeys: 3 })),
      cache_key: mostly(word),
      size_estimate_gb: positive,
    },
    ["source", "target"],
  );

  const slurm = strict({
    job_name: mostly(word),
    ntasks: int(0, 10),
    ntasks_per_node: int(0, 10),
    cpus_per_task: int(0, 10),
    gpus_per_node: int(-1, 8),
    mem_per_node_mb: int(-1, 100000),
    time_limit_minutes: int(-1, 10000),
    partition: mostly(word),
    output: mostly(word),
    error: mostly(word),
    open_mode: mostly(fc.constantFrom("append", "truncate")),
    dependency: mostly(word),
    export_env: mostly(word),
    signal: mostly(
      strict({ name: mostly(word), seconds_before: int(-1, 600), batch_only: mostly(fc.boolean()) }, [
        "name",
        "seconds_before",
      ]),
    ),
  });

  const name = odds.field === 0 ? fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/) : text;
  return strict(
    {
      name: mostly(fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,66}$/), name)),
      instance_type: mostly(fc.constantFrom("a100", "8xh100", "h100-80gb.sxm.8x", "")),
      min_gpu_memory_gb: int(-1, 100),
      command: mostly(fc.oneof(word, stringList)),
      shell: mostly(word),
      script: mostly(fc.oneof(word, text)),
      image: mostly(
        fc.oneof(
          fc.constantFrom("nvidia/cuda:12.1", "ubuntu@sha256:ab", ...(odds.field ? ["-rm", "a b"] : [])),
          word,
        ),
      ),
      env: mostly(fc.dictionary(fc.oneof(word, text), mostly(fc.oneof(word, text)), { maxKeys: 4 })),
      working_dir: mostly(word),
      volumes: mostly(fc.array(mostly(volume), { maxLength: 3 })),
      data_mounts: mostly(fc.array(mostly(mount), { maxLength: 2 })),
      max_price_per_hour: positive,
      max_run_time_hours: positive,
      min_run_time_hours: positive,
      deadline_hours: positive,
      region: mostly(fc.oneof(fc.constant("us-central1-a"), word)),
      num_instances: int(0, 257),
      ssh_keys: mostly(stringList),
      upload_code: mostly(fc.boolean()),
      priority: mostly(
        fc.oneof(fc.constantFrom("low", "med", "high", ...(odds.field ? ["top", "LOW"] : [])), int(0, 101)),
      ),
      auto_terminate: mostly(fc.boolean()),
      min_cpus_per_node: int(0, 200),
      min_memory_gb_per_node: positive,
      array: mostly(
        strict({ task_ids: mostly(fc.array(int(-1, 10), { maxLength: 4 })), max_running: int(0, 5) }, [
          "task_ids",
        ]),
      ),
      slurm: mostly(slurm),
    },
    ["name"],
  );
}

const rough = generators({ field: 3 });
const valid = generators({ field: 0 });

type Path = readonly (string | number)[];

/** Every path to an object or array in `value` (the root included), where a mutation can land. */
function containers(value: unknown, path: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const inner = Object.entries(value).flatMap(([k, v]) =>
    containers(v, [...path, Array.isArray(value) ? Number(k) : k]),
  );
  return [path, ...inner];
}

/** One small change to a container: a value replaced (often by a boundary number), removed, undefined, or a key added. */
interface Mutation {
  readonly kind: "replace" | "boundary" | "delete" | "undefined" | "unknown";
  readonly pick: number;
  readonly value: unknown;
  readonly bound: number;
  readonly key: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("replace", "boundary", "boundary", "delete", "undefined", "unknown"),
  pick: fc.nat(),
  value: odd,
  bound: fc.constantFrom(...BOUNDARY_NUMBERS),
  key: fc.constantFrom("nme", "extra", "__proto__", "0", "name", "env"),
});

/** `task` with `m` applied to the container at `at` (a copy; the original is left alone). */
function mutate(task: Record<string, unknown>, at: Path, m: Mutation): Record<string, unknown> {
  const copy = structuredClone(task);
  let target: unknown = copy;
  for (const step of at) target = (target as Record<string | number, unknown>)[step];
  const box = target as Record<string, unknown>;
  const keys = Object.keys(box);
  const numeric = keys.filter((k) => typeof box[k] === "number");
  const pool = m.kind === "boundary" && numeric.length ? numeric : keys;
  const key = pool.length ? (pool[m.pick % pool.length] as string) : m.key;
  if (m.kind === "unknown") {
    Object.defineProperty(box, m.key, {
      value: m.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else if (m.kind === "delete") delete box[key];
  else if (m.kind === "undefined") box[key] = undefined;
  else box[key] = m.kind === "boundary" ? m.bound : m.value;
  return copy;
}

/** Whether `at` still leads to a container of `task` (an earlier change may have replaced it). */
function reaches(task: unknown, at: Path): boolean {
  return containers(task).some((p) => p.length === at.length && p.every((step, i) => step === at[i]));
}

/** A valid-leaning task with one to three small changes: most near the edge of validity. */
const subtle = valid.chain((task) =>
  fc
    .array(fc.tuple(fc.constantFrom(...containers(task)), mutation), { minLength: 1, maxLength: 3 })
    .map((changes) => changes.reduce((t, [at, m]) => (reaches(t, at) ? mutate(t, at, m) : t), task)),
);
interface Verdicts {
  accepted: number;
  rejected: number;
}

describe("compiled TaskConfig validator", () => {
  test.prop([subtle], { numRuns: 2000 })(
    "agrees with zod on valid tasks changed at one to three places",
    (value) => {
      agrees(value);
    },
  );

  test.prop([rough], { numRuns: 1000 })("agrees with zod on roughly invalid tasks", (value) => {
    agrees(value);
  });

  test.prop([valid], { numRuns: 500 })(
    "returns zod's output for valid tasks, key order included",
    (value) => {
      agrees(value);
      expect(fast(value)).not.toBe(value);
    },
  );

  test.prop([odd])("agrees with zod on values that are not tasks", (value) => {
    agrees(value);
  });

  test("the generators hit both verdicts often (on their own samples: any test order)", () => {
    const verdicts = (arbitrary: fc.Arbitrary<unknown>, runs: number) => {
      const counts: Verdicts = { accepted: 0, rejected: 0 };
      for (const value of fc.sample(arbitrary, { numRuns: runs, seed: 42 })) {
        if (z.safeParse(TaskConfigSchema, value).success) counts.accepted++;
        else counts.rejected++;
      }
      return counts;
    };
    const subtleCounts = verdicts(subtle, 2000);
    expect(subtleCounts.accepted).toBeGreaterThan(200);
    expect(subtleCounts.rejected).toBeGreaterThan(1000);
    expect(verdicts(rough, 1000).rejected).toBeGreaterThan(900);
    expect(verdicts(valid, 500).accepted).toBeGreaterThan(300);
  });
});
