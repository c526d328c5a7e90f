/**
 * The compiled validator of src/ir/compiled-schema.ts, kind by kind and check by check, at the
 * boundaries: it accepts exactly what zod accepts and returns exactly zod's output (key order
 * included), and it refuses to build for anything it does not understand.
 */
import { describe, expect, test } from "vitest";
import * as z from "zod/mini";
import { codePointLength, compileSchema } from "../../../src/ir/compiled-schema.ts";
import { TaskConfigSchema } from "../../../src/ir/task-config.ts";

/** Deep key order and values, `undefined` kept (JSON.stringify would drop it). */
function shapeOf(value: unknown): unknown {
  if (value === undefined) return "<undefined>";
  if (typeof value === "number" && Number.isNaN(value)) return "<NaN>";
  if (Array.isArray(value)) return ["<array>", ...value.map(shapeOf)];
  if (typeof value === "object" && value !== null) {
    return Object.keys(value).map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]);
  }
  return value;
}

/** Asserts fast and zod agree on `input` and returns whether it was accepted. */
function agree(schema: z.core.$ZodType, input: unknown): boolean {
  const fast = compileSchema(schema)(input);
  const slow = z.safeParse(schema, input);
  expect(fast !== undefined, `fast path agrees with zod on ${show(input)}`).toBe(slow.success);
  if (slow.success) {
    expect(shapeOf(fast)).toEqual(shapeOf(slow.data));
    expect(fast).toStrictEqual(slow.data);
  }
  return slow.success;
}

/** Any value as text, for assertion messages. */
function show(value: unknown): string {
  try {
    return typeof value === "symbol" ? "symbol" : `${JSON.stringify(value) ?? String(value)}`;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A strict object with the single field `v`. */
const wrap = (schema: z.core.$ZodType) => z.strictObject({ v: schema });

function accepts(schema: z.core.$ZodType, ...values: unknown[]): void {
  for (const v of values) expect(agree(wrap(schema), { v }), `accepts ${show(v)}`).toBe(true);
}

function rejects(schema: z.core.$ZodType, ...values: unknown[]): void {
  for (const v of values) expect(agree(wrap(schema), { v }), `rejects ${show(v)}`).toBe(false);
}

const pair = "\u{1F600}"; // two UTF-16 units, one code point

describe("compileSchema: strings", () => {
  test("type", () => {
    accepts(z.string(), "", "x", "\0", "\uD800");
    rejects(z.string(), 1, null, undefined, ["x"], { toString: "x" }, true);
  });

  test("minLength counts code points at the boundary", () => {
    const s = z.string().check(z.minLength(2));
    accepts(s, "ab", "abc", `${pair}x`, pair + pair);
    rejects(s, "", "a", pair, "\uD800");
    accepts(z.string().check(z.minLength(1)), "a", "\uDC00", pair);
    rejects(z.string().check(z.minLength(1)), "");
  });

  test("maxLength counts code points at the boundary", () => {
    const s = z.string().check(z.maxLength(3));
    accepts(s, "", "abc", pair + pair + pair, `${pair}ab`, "\uD800\uD800\uD800");
    rejects(s, "abcd", pair + pair + pair + pair, `${pair}abc`, "\uDC00\uDC00\uDC00\uDC00");
    accepts(s, "\uDC00\uD800\uDC00\uD800");
  });

  test("min and max together", () => {
    const s = z.string().check(z.minLength(2), z.maxLength(3), z.minLength(1), z.maxLength(5));
    accepts(s, "ab", "abc", pair + pair, pair + pair + pair);
    rejects(s, "a", "abcd", pair, pair + pair + pair + pair);
  });

  test("regex: anchored miss, and lastIndex reset for global and sticky patterns", () => {
    const s = z.string().check(z.regex(/^[a-z]+$/));
    accepts(s, "abc");
    rejects(s, "", "ab1", "Abc", "abc\n");
    const global = z.string().check(z.regex(/a/g));
    for (let i = 0; i < 3; i++) accepts(global, "a", "ba");
    const sticky = z.string().check(z.regex(/a/y));
    accepts(sticky, "a", "ab", "a");
    rejects(sticky, "ba");
  });

  test("length and regex checks in any order", () => {
    const s = z.string().check(z.regex(/^x/), z.maxLength(2));
    accepts(s, "x", "xy");
    rejects(s, "xyz", "yx");
  });
});

describe("compileSchema: numbers", () => {
  test("finite numbers only", () => {
    accepts(z.number(), 0, -0, 1.5, -1e308, Number.MAX_VALUE, Number.MIN_VALUE);
    rejects(z.number(), Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, "1", null, 1n);
  });

  test("gt / gte / lt / lte at the boundary", () => {
    rejects(z.number().check(z.gt(0)), 0, -0, -1e-300);
    accepts(z.number().check(z.gt(0)), Number.MIN_VALUE, 1);
    accepts(z.number().check(z.gte(0)), 0, -0);
    rejects(z.number().check(z.gte(0)), -Number.MIN_VALUE);
    accepts(z.number().check(z.maximum(168)), 168, -5);
    rejects(z.number().check(z.maximum(168)), 168.00000000000003);
    rejects(z.number().check(z.lt(1)), 1);
    accepts(z.number().check(z.lt(1)), 0.9999999999999999);
    accepts(z.number().check(z.positive()), 1e-10);
    rejects(z.number().check(z.positive()), 0);
  });

  test("int: safe integers only", () => {
    accepts(z.int(), 0, -0, 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e15);
    rejects(z.int(), 1.5, 2 ** 53, -(2 ** 53), 1e300, Number.NaN, Number.POSITIVE_INFINITY, "1", true);
    accepts(z.int().check(z.minimum(1), z.maximum(256)), 1, 256);
    rejects(z.int().check(z.minimum(1), z.maximum(256)), 0, 257, 1.5);
    accepts(z.int().check(z.nonnegative()), 0);
    rejects(z.int().check(z.nonnegative()), -1);
  });
});

describe("compileSchema: other scalars", () => {
  test("boolean", () => {
    accepts(z.boolean(), true, false);
    rejects(z.boolean(), 0, 1, "true", null);
  });

  test("enum", () => {
    accepts(z.enum(["low", "med"]), "low", "med");
    rejects(z.enum(["low", "med"]), "LOW", "high", "", 0, null);
  });

  test("unknown passes every value through by reference", () => {
    const object = { a: [1] };
    accepts(z.unknown(), undefined, null, Number.NaN, object, [object]);
    const fast = compileSchema(wrap(z.unknown()))({ v: object }) as { v: unknown };
    expect(fast.v).toBe(object);
  });
});

describe("compileSchema: containers", () => {
  test("union: the first accepting option wins", () => {
    const u = z.union([z.string(), z.array(z.string()).check(z.minLength(1))]);
    accepts(u, "x", "", ["a"], ["a", "b"]);
    rejects(u, [], [1], 1, null, undefined);
    const p = z.union([z.enum(["low", "med", "high"]), z.int().check(z.minimum(1), z.maximum(100))]);
    accepts(p, "low", 1, 100);
    rejects(p, "top", 0, 101, 1.5);
  });

  test("array: copied, checked element by element, holes are undefined", () => {
    const a = z.array(z.int());
    accepts(a, [], [1, 2]);
    rejects(a, [1, "2"], [1, 1.5], { length: 0 }, "ab");
    // biome-ignore lint/suspicious/noSparseArray: a hole is the point
    rejects(a, [1, , 2]);
    accepts(z.array(z.unknown()), new Array(2));
    accepts(z.array(z.string()).check(z.minLength(1), z.maxLength(2)), ["a"], ["a", "b"]);
    rejects(z.array(z.string()).check(z.minLength(1), z.maxLength(2)), [], ["a", "b", "c"]);
    const input = [1];
    const fast = compileSchema(wrap(a))({ v: input }) as { v: unknown };
    expect(fast.v).not.toBe(input);
  });

  test("record: input key order, __proto__ dropped, symbols and non-plain objects rejected", () => {
    const r = z.record(z.string(), z.string());
    accepts(r, {}, { b: "1", a: "2", 10: "x", 2: "y" }, Object.create(null));
    rejects(r, { a: 1 }, [], null, "x", new Map(), { a: undefined });
    accepts(r, JSON.parse('{"a":"1","__proto__":"x","b":"2"}'));
    rejects(r, { [Symbol("s")]: "x" });
    const hidden = { a: "1" };
    Object.defineProperty(hidden, Symbol("s"), { value: "x", enumerable: false });
    accepts(r, hidden);
    class Box {
      a = "1";
    }
    rejects(r, new Box());
    accepts(z.record(z.string(), z.unknown()), { a: undefined, b: null, c: { d: 1 } });
  });

  test("strict object: shape order, optional keys, unknown and inherited keys", () => {
    const o = z.strictObject({ a: z.string(), b: z.optional(z.int()), c: z.optional(z.boolean()) });
    const check = (input: unknown) => agree(o, input);
    expect(check({ a: "x" })).toBe(true);
    expect(check({ c: true, b: 1, a: "x" })).toBe(true);
    expect(check({ a: "x", b: undefined })).toBe(true);
    expect(Object.keys(compileSchema(o)({ a: "x", b: undefined }) ?? {})).toEqual(["a", "b"]);
    expect(check({ b: 1 })).toBe(false);
    expect(check({ a: undefined })).toBe(false);
    expect(check({ a: "x", d: 1 })).toBe(false);
    expect(check({ a: "x", d: undefined })).toBe(false);
    expect(check(Object.assign(Object.create({ d: 1 }), { a: "x" }))).toBe(false);
    expect(check(Object.assign(Object.create({ a: "x" }), {}))).toBe(true);
    expect(check(JSON.parse('{"a":"x","__proto__":{}}'))).toBe(false);
    expect(check(["x"])).toBe(false);
    expect(check(null)).toBe(false);
    expect(check(new Date())).toBe(false);
  });

  test("nested strict objects", () => {
    const o = z.strictObject({
      s: z.optional(z.strictObject({ n: z.string(), k: z.optional(z.boolean()) })),
    });
    expect(agree(o, { s: { n: "x" } })).toBe(true);
    expect(agree(o, { s: { n: "x", x: 1 } })).toBe(false);
    expect(agree(o, { s: {} })).toBe(false);
    expect(agree(o, { s: undefined })).toBe(true);
  });
});

describe("compileSchema: the TaskConfig schema", () => {
  test("builds, and returns zod's output for a full task", () => {
    const task = {
      slurm: { signal: { seconds_before: 60, name: "USR1", batch_only: true }, ntasks: 2 },
      name: "job-1",
      instance_type: "8xh100",
      command: ["python", "train.py"],
      env: { B: "2", A: "1" },
      volumes: [{ size_gb: 100, name: "data", interface: "block" }],
      data_mounts: [{ target: "/d", source: "s3://b", options: { readonly: true } }],
      priority: 50,
      array: { task_ids: [0, 1], max_running: 1 },
      max_run_time_hours: 168,
      num_instances: 256,
    };
    expect(agree(TaskConfigSchema, task)).toBe(true);
    expect(agree(TaskConfigSchema, { ...task, name: "a".repeat(65) })).toBe(false);
    expect(agree(TaskConfigSchema, { ...task, num_instances: 257 })).toBe(false);
    expect(agree(TaskConfigSchema, { ...task, array: { task_ids: [] } })).toBe(false);
  });

  test("a memoizer in zod's config makes it decline", () => {
    const fast = compileSchema(z.strictObject({}));
    z.config({ memoizer: z.core.memoizer() });
    try {
      expect(fast({})).toBeUndefined();
    } finally {
      z.config({ memoizer: undefined });
    }
    expect(fast({})).toEqual({});
  });
});

describe("compileSchema: refuses what it does not understand", () => {
  const cases: Record<string, z.core.$ZodType> = {
    "a non-object root": z.string(),
    "a stripping object": wrap(z.object({ a: z.string() })),
    "a loose object": wrap(z.looseObject({ a: z.string() })),
    "a transform": wrap(
      z.pipe(
        z.string(),
        z.transform((s) => s.length),
      ),
    ),
    "a default": wrap(z._default(z.string(), "x")),
    "a nullable": wrap(z.nullable(z.string())),
    "a refinement": wrap(z.string().check(z.refine((s) => s !== "x"))),
    "an overwrite": wrap(z.string().check(z.trim())),
    "a string format": wrap(z.email()),
    "an includes check": wrap(z.string().check(z.includes("x"))),
    "a coerced string": wrap(z.coerce.string()),
    "an int32": wrap(z.int32()),
    "a multipleOf": wrap(z.number().check(z.multipleOf(2))),
    "a literal": wrap(z.literal("x")),
    "a tuple": wrap(z.tuple([z.string()])),
    "an enum-keyed record": wrap(z.record(z.enum(["a"]), z.string())),
    "a record with key checks": wrap(z.record(z.string().check(z.minLength(1)), z.string())),
    "a length check with its own when": wrap(
      z.string().check(z.minLength(1, { when: () => true } as Parameters<typeof z.minLength>[1])),
    ),
    "a refined object": z.strictObject({}).check(z.refine(() => true)),
    "a bigint bound": wrap(z.bigint().check(z.gt(0n))),
  };
  for (const [name, schema] of Object.entries(cases)) {
    test(name, () => {
      expect(() => compileSchema(schema)).toThrow(/compileSchema: .* is not supported/);
    });
  }
});

test("codePointLength counts a valid pair once and a lone surrogate once", () => {
  expect(codePointLength("")).toBe(0);
  expect(codePointLength(pair)).toBe(1);
  expect(codePointLength(`a${pair}b`)).toBe(3);
  expect(codePointLength("\uD800")).toBe(1);
  expect(codePointLength("\uDC00\uD800")).toBe(2);
  expect(codePointLength("\uD800\uD800\uDC00")).toBe(2);
});

describe("compileSchema: objects that are not plain", () => {
  const o = z.strictObject({ a: z.string(), b: z.optional(z.int()), c: z.optional(z.boolean()) });

  test("non-enumerable own keys: shape keys count (as zod's `in`), others are ignored", () => {
    const hiddenField = { a: "x" };
    Object.defineProperty(hiddenField, "b", { value: 2, enumerable: false });
    expect(agree(o, hiddenField)).toBe(true);
    expect(Object.keys(compileSchema(o)(hiddenField) ?? {})).toEqual(["a", "b"]);
    const hiddenRequired = {};
    Object.defineProperty(hiddenRequired, "a", { value: "x", enumerable: false });
    expect(agree(o, hiddenRequired)).toBe(true);
    const hiddenBad = { a: "x" };
    Object.defineProperty(hiddenBad, "c", { value: 1, enumerable: false });
    expect(agree(o, hiddenBad)).toBe(false);
    const hiddenUnknown = { a: "x" };
    Object.defineProperty(hiddenUnknown, "z", { value: 1, enumerable: false });
    expect(agree(o, hiddenUnknown)).toBe(true);
  });

  test("other prototypes: inherited fields count, inherited enumerable unknown keys reject", () => {
    expect(agree(o, Object.assign(Object.create({ b: 1 }), { a: "x" }))).toBe(true);
    expect(agree(o, Object.assign(Object.create({ b: "1" }), { a: "x" }))).toBe(false);
    const proto = {};
    Object.defineProperty(proto, "c", { value: true, enumerable: false });
    expect(agree(o, Object.assign(Object.create(proto), { a: "x" }))).toBe(true);
    class Task {
      a = "x";
      get b() {
        return 3;
      }
    }
    expect(agree(o, new Task())).toBe(true);
    expect(Object.assign(Object.create(null), { c: false, a: "x" })).toSatisfy((v: unknown) => agree(o, v));
  });

  test("an enumerable property on Object.prototype makes it decline (zod rejects every object)", () => {
    const fast = compileSchema(o);
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 1;
    try {
      expect(fast({ a: "x" })).toBeUndefined();
      expect(z.safeParse(o, { a: "x" }).success).toBe(false);
    } finally {
      delete proto.polluted;
    }
    expect(fast({ a: "x" })).toEqual({ a: "x" });
  });

  test("shape keys that every object has are refused", () => {
    expect(() => compileSchema(z.strictObject({ toString: z.string() }))).toThrow(/not supported/);
  });
});
