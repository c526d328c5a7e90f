/**
 * A fast path for zod: a schema's definition is read once and turned into a plain function that
 * validates a value and copies it exactly as zod's successful parse would (objects rebuilt in shape
 * key order, records in input key order, arrays copied, every other value passed through). It
 * answers only "valid, and here is zod's output" or "ask zod": the issues and their wording stay
 * zod's, produced by `z.safeParse` when the fast path declines.
 *
 * Only the schema kinds and checks the TaskConfig uses are understood (strict objects, optional,
 * union, array, record with string keys, enum, string, number, safe integer, boolean, unknown;
 * length, regex and bound checks), each with zod 4's own semantics (`node_modules/zod/v4/core`):
 * lengths of strings in code points, numbers finite, `z.int()` safe integers, an optional key may
 * be present with `undefined`, strict objects reject any other enumerable key (inherited ones
 * too), regexes tested from `lastIndex` 0. Anything else — a transform, a default, a refinement,
 * an option this file does not know — throws when the function is built, never accepted silently.
 */

import * as z from "zod/mini";
import { globalConfig } from "zod/v4/core";

type Schema = z.core.$ZodType;
type Def = Readonly<Record<string, unknown>>;

/** What a compiled part returns for a value its schema rejects (`undefined` is a valid output). */
const INVALID: unique symbol = Symbol("invalid");

/** A compiled part of a schema: zod's output for `input`, or INVALID. */
type Part = (input: unknown) => unknown;

/** A compiled schema: zod's successful output, or undefined when zod must decide (and report). */
export type CompiledSchema<T> = (input: unknown) => T | undefined;

/**
 * Builds the fast validating copier of `schema`, an object schema (so that `undefined` never is a
 * valid output). Throws when the schema uses a kind, option or check this module does not know.
 *
 * It declines (undefined, whatever the value) while a zod memoizer is configured (cycle support)
 * and while `Object.prototype` has an enumerable property (zod would find it on every object).
 * Shape keys that are properties of `Object.prototype` are refused when building; a property
 * defined on `Object.prototype` later, non-enumerable and named like a field, is not looked for.
 */
export function compileSchema<S extends Schema>(schema: S): CompiledSchema<z.output<S>> {
  if (defOf(schema).type !== "object") throw unsupported("(root)", "a root that is not an object");
  const part = compilePart(schema, "(root)");
  return (input) => {
    // `globalConfig` imported by name: `z.core.globalConfig` kept all of zod's core in the CLI bundle.
    if (globalConfig.memoizer !== undefined || hasEnumerableInherited()) return undefined;
    const output = part(input);
    return output === INVALID ? undefined : (output as z.output<S>);
  };
}

const EMPTY: object = {};

/** True when `Object.prototype` has gained an enumerable property (every object would inherit it). */
function hasEnumerableInherited(): boolean {
  for (const _ in EMPTY) return true;
  return false;
}

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

function unsupported(path: string, what: string): Error {
  return new Error(`compileSchema: ${what} at ${path} is not supported; teach src/ir/compiled-schema.ts`);
}

/** Throws unless every option of `def` is one of `allowed` (so a new option cannot slip through). */
function expectOptions(def: Def, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(def)) {
    if (!allowed.includes(key)) throw unsupported(path, `option \`${key}\` of a ${String(def.type)}`);
  }
  if (def.coerce) throw unsupported(path, "coercion");
}

/** Throws when a schema carries checks (refinements and the like) where none are understood. */
function expectNoChecks(def: Def, path: string): void {
  if (Array.isArray(def.checks) && def.checks.length > 0) throw unsupported(path, `checks on a ${def.type}`);
}

function compilePart(schema: Schema, path: string): Part {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return compileObject(schema, def, path);
    case "optional":
      return compileOptional(def, path);
    case "union":
      return compileUnion(def, path);
    case "array":
      return compileArray(def, path);
    case "record":
      return compileRecord(def, path);
    case "enum":
      return compileEnum(schema, def, path);
    case "string":
      return compileString(schema, def, path);
    case "number":
      return compileNumber(schema, def, path);
    case "boolean":
      expectOptions(def, path, ["type", "error", "coerce"]);
      expectNoChecks(def, path);
      return (input) => (typeof input === "boolean" ? input : INVALID);
    case "unknown":
      expectOptions(def, path, ["type"]);
      return (input) => input;
    default:
      throw unsupported(path, `the schema kind \`${String(def.type)}\``);
  }
}

// ---------------------------------------------------------------------------------------------
// Containers

interface Field {
  readonly key: string;
  readonly optional: boolean;
  readonly part: Part;
}

/** zod's `isObject`: any non-null object that is not an array. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** zod's `isPlainObject` (what a record accepts). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const ctor = value.constructor;
  if (ctor === undefined || typeof ctor !== "function") return true;
  const proto: unknown = ctor.prototype;
  return isObject(proto) && Object.hasOwn(proto, "isPrototypeOf");
}

function compileObject(schema: Schema, def: Def, path: string): Part {
  expectOptions(def, path, ["type", "shape", "catchall", "error"]);
  expectNoChecks(def, path);
  if (!schema._zod.traits.has("$ZodObject")) throw unsupported(path, "an object that is not a $ZodObject");
  const catchall = def.catchall as Schema | undefined;
  if (catchall === undefined || defOf(catchall).type !== "never") {
    throw unsupported(path, "an object that is not strict");
  }
  const shape = def.shape as Readonly<Record<string, Schema>>;
  if (Object.getOwnPropertySymbols(shape).length > 0) throw unsupported(path, "symbol keys");
  const fields: Field[] = Object.keys(shape).map((key) => {
    if (key in Object.prototype) throw unsupported(path, `the key \`${key}\` (a property of every object)`);
    return compileField(key, shape[key] as Schema, `${path}.${key}`);
  });
  const ordinary = ordinaryObjectPart(fields);
  const exact = shapeOrderPart(fields);
  return (input) => {
    if (!isObject(input)) return INVALID;
    const proto: unknown = Object.getPrototypeOf(input);
    return proto === Object.prototype || proto === null ? ordinary(input) : exact(input);
  };
}

/**
 * zod's own algorithm, for any object: every shape key looked up with `in` (inherited properties
 * count), in shape order, and `for…in` for unknown keys (inherited enumerable ones too).
 */
function shapeOrderPart(fields: readonly Field[]): (input: Record<string, unknown>) => unknown {
  const known = new Set(fields.map((f) => f.key));
  return (input) => {
    for (const key in input) if (!known.has(key)) return INVALID;
    const output: Record<string, unknown> = {};
    for (const field of fields) {
      if (!(field.key in input)) {
        if (field.optional) continue;
        return INVALID;
      }
      const value = field.part(input[field.key]);
      if (value === INVALID) return INVALID;
      output[field.key] = value;
    }
    return output;
  };
}

/**
 * The same result for an object whose prototype is `Object.prototype` (with no enumerable
 * properties: see `compileSchema`) or null, driven by its own keys instead of one `in` per shape
 * key: the keys it has, non-enumerable ones included (`in` sees those), are put in shape order.
 */
function ordinaryObjectPart(fields: readonly Field[]): (input: Record<string, unknown>) => unknown {
  const index = new Map(fields.map((f, i) => [f.key, i]));
  const required = fields.filter((f) => !f.optional).length;
  return (input) => {
    const present: number[] = [];
    let found = 0;
    for (const name of Object.getOwnPropertyNames(input)) {
      const i = index.get(name);
      if (i === undefined) {
        // An unknown key; zod's `for…in` skips a non-enumerable one.
        if (Object.prototype.propertyIsEnumerable.call(input, name)) return INVALID;
        continue;
      }
      if (!(fields[i] as Field).optional) found++;
      insertSorted(present, i);
    }
    if (found < required) return INVALID;
    const output: Record<string, unknown> = {};
    for (const i of present) {
      const field = fields[i] as Field;
      const value = field.part(input[field.key]);
      if (value === INVALID) return INVALID;
      output[field.key] = value;
    }
    return output;
  };
}

/** Inserts `value` into the ascending `list` (a handful of items: insertion is the cheapest sort). */
function insertSorted(list: number[], value: number): void {
  let j = list.length;
  list.push(value);
  while (j > 0 && (list[j - 1] as number) > value) {
    list[j] = list[j - 1] as number;
    j--;
  }
  list[j] = value;
}

/** A shape entry: optional (absent key skipped) or required (absent key rejected). */
function compileField(key: string, schema: Schema, path: string): Field {
  const { optin, optout } = schema._zod;
  if (defOf(schema).type === "optional") {
    if (optin !== "optional" || optout !== "optional") throw unsupported(path, "a defaulted optional");
    return { key, optional: true, part: compilePart(schema, path) };
  }
  if (optin !== undefined || optout !== undefined) throw unsupported(path, "an implicitly optional field");
  return { key, optional: false, part: compilePart(schema, path) };
}

function compileOptional(def: Def, path: string): Part {
  expectOptions(def, path, ["type", "innerType"]);
  expectNoChecks(def, path);
  const inner = compilePart(def.innerType as Schema, path);
  return (input) => (input === undefined ? undefined : inner(input));
}

function compileUnion(def: Def, path: string): Part {
  expectOptions(def, path, ["type", "options", "error"]);
  expectNoChecks(def, path);
  const options = (def.options as readonly Schema[]).map((o, i) => compilePart(o, `${path}|${i}`));
  // The first option that accepts wins, with its own output.
  return (input) => {
    for (const option of options) {
      const value = option(input);
      if (value !== INVALID) return value;
    }
    return INVALID;
  };
}

function compileArray(def: Def, path: string): Part {
  expectOptions(def, path, ["type", "element", "checks", "error"]);
  const length = compileLengthChecks(def, path, false);
  const element = compilePart(def.element as Schema, `${path}[]`);
  return (input) => {
    if (!Array.isArray(input)) return INVALID;
    const n = input.length;
    if (!length(n, input)) return INVALID;
    const output: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const value = element(input[i]);
      if (value === INVALID) return INVALID;
      output[i] = value;
    }
    return output;
  };
}

function compileRecord(def: Def, path: string): Part {
  expectOptions(def, path, ["type", "keyType", "valueType", "error"]);
  expectNoChecks(def, path);
  const keyType = def.keyType as Schema;
  const keyDef = defOf(keyType);
  if (keyDef.type !== "string" || keyType._zod.values !== undefined) {
    throw unsupported(path, "a record whose keys are not plain strings");
  }
  expectOptions(keyDef, `${path}{key}`, ["type", "error"]);
  const value = compilePart(def.valueType as Schema, `${path}{}`);
  return (input) => {
    if (!isPlainObject(input)) return INVALID;
    const output: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      if (key === "__proto__") continue;
      const item = value(input[key]);
      if (item === INVALID) return INVALID;
      output[key] = item;
    }
    // A symbol key fails the string key schema (an enumerable one is an invalid_key issue).
    if (hasEnumerableSymbol(input)) return INVALID;
    return output;
  };
}

function hasEnumerableSymbol(value: object): boolean {
  for (const symbol of Object.getOwnPropertySymbols(value)) {
    if (Object.prototype.propertyIsEnumerable.call(value, symbol)) return true;
  }
  return false;
}

function compileEnum(schema: Schema, def: Def, path: string): Part {
  expectOptions(def, path, ["type", "entries", "error"]);
  expectNoChecks(def, path);
  const values = schema._zod.values;
  if (values === undefined) throw unsupported(path, "an enum without values");
  const accepted: ReadonlySet<unknown> = new Set(values);
  return (input) => (accepted.has(input) ? input : INVALID);
}

// ---------------------------------------------------------------------------------------------
// Scalars and checks

/** A check's definition, read as plain data. */
function checkDef(check: unknown): Def {
  return (check as Schema)._zod.def as unknown as Def;
}

/** zod's code point count (a valid surrogate pair is one code point). */
export function codePointLength(text: string): number {
  const units = text.length;
  let count = units;
  for (let i = 0; i < units - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/** Lengths accepted by a string's or array's length checks (strings in code points, as zod). */
type LengthTest = (units: number, value: string | readonly unknown[]) => boolean;

let defaultWhen: unknown;

/** The `when` zod gives every length check by default (anything else is a customisation). */
function lengthCheckWhen(): unknown {
  defaultWhen ??= checkDef(z.minLength(1)).when;
  return defaultWhen;
}

/** Compiles the min/max length checks of `def`; with `others`, other checks are left to the caller. */
function compileLengthChecks(def: Def, path: string, others: boolean): LengthTest {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  for (const check of (def.checks as readonly unknown[] | undefined) ?? []) {
    const c = checkDef(check);
    if (c.check !== "min_length" && c.check !== "max_length") {
      if (others) continue;
      throw unsupported(path, `the check \`${String(c.check)}\` on a ${String(def.type)}`);
    }
    if (c.when !== lengthCheckWhen()) throw unsupported(path, "a length check with its own `when`");
    if (c.check === "min_length") {
      expectOptions(c, path, ["check", "minimum", "when", "abort", "error"]);
      min = Math.max(min, c.minimum as number);
    } else {
      expectOptions(c, path, ["check", "maximum", "when", "abort", "error"]);
      max = Math.min(max, c.maximum as number);
    }
  }
  if (min === 0 && max === Number.POSITIVE_INFINITY) return () => true;
  return (units, value) => {
    // A code point is one or two units: only a count between the bounds' unit forms needs counting.
    if (units >= min && units <= max && (typeof value !== "string" || units >= min * 2)) return true;
    if (typeof value !== "string" || units < min) return false;
    const points = codePointLength(value);
    return points >= min && points <= max;
  };
}

function compileString(schema: Schema, def: Def, path: string): Part {
  expectOptions(def, path, ["type", "checks", "error", "coerce"]);
  if (!schema._zod.traits.has("$ZodString") || schema._zod.traits.has("$ZodStringFormat")) {
    throw unsupported(path, "a string format");
  }
  const length = compileLengthChecks(def, path, true);
  const patterns: RegExp[] = [];
  for (const check of (def.checks as readonly unknown[] | undefined) ?? []) {
    const c = checkDef(check);
    if (c.check === "min_length" || c.check === "max_length") continue;
    if (c.check !== "string_format" || c.format !== "regex" || !(c.pattern instanceof RegExp)) {
      throw unsupported(path, `the check \`${String(c.check)}\` (${String(c.format)}) on a string`);
    }
    if (!(check as Schema)._zod.traits.has("$ZodCheckRegex")) throw unsupported(path, "a custom format");
    expectOptions(c, path, ["check", "format", "pattern", "abort", "error"]);
    patterns.push(c.pattern);
  }
  return (input) => {
    if (typeof input !== "string" || !length(input.length, input)) return INVALID;
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      if (!pattern.test(input)) return INVALID;
    }
    return input;
  };
}

/** A numeric bound: `value` and whether it is included, below (`greater_than`) or above. */
interface Bound {
  readonly value: number;
  readonly inclusive: boolean;
  readonly lower: boolean;
}

function compileNumber(schema: Schema, def: Def, path: string): Part {
  const integer = schema._zod.traits.has("$ZodCheckNumberFormat");
  if (integer) {
    expectOptions(def, path, ["type", "check", "format", "abort", "checks", "error", "coerce"]);
    if (def.format !== "safeint") throw unsupported(path, `the number format \`${String(def.format)}\``);
  } else {
    expectOptions(def, path, ["type", "checks", "error", "coerce"]);
  }
  const bounds = compileBounds(def, path);
  return (input) => {
    // zod: a finite number (no NaN, no ±Infinity); `z.int()`: a safe integer.
    if (typeof input !== "number" || !Number.isFinite(input)) return INVALID;
    if (integer && !Number.isSafeInteger(input)) return INVALID;
    for (const bound of bounds) {
      const ok = bound.lower
        ? bound.inclusive
          ? input >= bound.value
          : input > bound.value
        : bound.inclusive
          ? input <= bound.value
          : input < bound.value;
      if (!ok) return INVALID;
    }
    return input;
  };
}

function compileBounds(def: Def, path: string): Bound[] {
  return ((def.checks as readonly unknown[] | undefined) ?? []).map((check) => {
    const c = checkDef(check);
    if (c.check !== "greater_than" && c.check !== "less_than") {
      throw unsupported(path, `the check \`${String(c.check)}\` on a number`);
    }
    expectOptions(c, path, ["check", "value", "inclusive", "abort", "error"]);
    if (typeof c.value !== "number") throw unsupported(path, "a bound that is not a number");
    return { value: c.value, inclusive: c.inclusive === true, lower: c.check === "greater_than" };
  });
}
