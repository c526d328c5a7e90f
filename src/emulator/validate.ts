/**
 * Request validation with the server's own error shape: the real API is a FastAPI application, so a
 * request that fails its schema gets 422 `{"detail": [{type, loc, msg, input}]}` with pydantic's
 * type codes and messages (fcp-api.md §4.1, §12.2). All issues of a request are collected, not the
 * first only. Unknown body keys and query parameters are ignored, as pydantic and FastAPI do.
 */
import type { ValidationIssue } from "./state.ts";

type Loc = (string | number)[];
type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function quoteList(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

/** Collects issues; readers return the value when valid and `undefined` otherwise. */
export class Issues {
  readonly list: ValidationIssue[] = [];

  add(type: string, loc: Loc, msg: string, input: unknown, ctx?: Record<string, unknown>): undefined {
    this.list.push({ type, loc, msg, input, ...(ctx ? { ctx } : {}) });
    return undefined;
  }

  missing(loc: Loc, parent: unknown): undefined {
    return this.add("missing", loc, "Field required", parent);
  }

  valueError(loc: Loc, message: string, input: unknown): undefined {
    return this.add("value_error", loc, `Value error, ${message}`, input, { error: {} });
  }

  get ok(): boolean {
    return this.list.length === 0;
  }
}

/** Parses a JSON body: the body must be a JSON object (the request models are objects). */
export function readJsonObject(text: string, issues: Issues): JsonObject | undefined {
  if (text.trim() === "") return issues.missing(["body"], null);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // FastAPI reports the offset where decoding failed (V8 names it in its message).
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    return issues.add(
      "json_invalid",
      ["body", at ? Number(at[1]) : 0],
      "JSON decode error",
      {},
      { error: message },
    );
  }
  if (!isObject(data)) {
    return issues.add(
      "model_attributes_type",
      ["body"],
      "Input should be a valid dictionary or object to extract fields from",
      data,
    );
  }
  return data;
}

interface FieldOptions {
  required?: boolean;
  nullable?: boolean;
}

/** A field of a JSON object, checked for presence and null-ness; returns [present, value]. */
function field(
  obj: JsonObject,
  key: string,
  loc: Loc,
  issues: Issues,
  opts: FieldOptions,
): [boolean, unknown] {
  if (!(key in obj)) {
    if (opts.required) issues.missing([...loc, key], obj);
    return [false, undefined];
  }
  const value = obj[key];
  if (value === null && opts.nullable) return [false, null];
  return [true, value];
}

export function readString(obj: JsonObject, key: string, loc: Loc, issues: Issues, opts: FieldOptions = {}) {
  const [present, value] = field(obj, key, loc, issues, opts);
  if (!present) return value as null | undefined;
  if (typeof value !== "string")
    return issues.add("string_type", [...loc, key], "Input should be a valid string", value);
  return value;
}

export function readInt(
  obj: JsonObject,
  key: string,
  loc: Loc,
  issues: Issues,
  opts: FieldOptions & { min?: number; max?: number; gt?: number } = {},
) {
  const [present, value] = field(obj, key, loc, issues, opts);
  if (!present) return value as null | undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return issues.add("int_type", [...loc, key], "Input should be a valid integer", value);
  }
  if (!Number.isInteger(value)) {
    return issues.add(
      "int_from_float",
      [...loc, key],
      "Input should be a valid integer, got a number with a fractional part",
      value,
    );
  }
  return checkRange(value, [...loc, key], issues, opts);
}

function checkRange(
  value: number,
  loc: Loc,
  issues: Issues,
  opts: { min?: number; max?: number; gt?: number },
): number | undefined {
  if (opts.gt !== undefined && !(value > opts.gt)) {
    return issues.add("greater_than", loc, `Input should be greater than ${opts.gt}`, value, { gt: opts.gt });
  }
  if (opts.min !== undefined && value < opts.min) {
    return issues.add(
      "greater_than_equal",
      loc,
      `Input should be greater than or equal to ${opts.min}`,
      value,
      {
        ge: opts.min,
      },
    );
  }
  if (opts.max !== undefined && value > opts.max) {
    return issues.add("less_than_equal", loc, `Input should be less than or equal to ${opts.max}`, value, {
      le: opts.max,
    });
  }
  return value;
}

export function readBool(obj: JsonObject, key: string, loc: Loc, issues: Issues, opts: FieldOptions = {}) {
  const [present, value] = field(obj, key, loc, issues, opts);
  if (!present) return value as null | undefined;
  if (typeof value !== "boolean")
    return issues.add("bool_type", [...loc, key], "Input should be a valid boolean", value);
  return value;
}

export function readStringList(
  obj: JsonObject,
  key: string,
  loc: Loc,
  issues: Issues,
  opts: FieldOptions = {},
) {
  const [present, value] = field(obj, key, loc, issues, opts);
  if (!present) return value as null | undefined;
  if (!Array.isArray(value))
    return issues.add("list_type", [...loc, key], "Input should be a valid list", value);
  const before = issues.list.length;
  value.forEach((item, i) => {
    if (typeof item !== "string")
      issues.add("string_type", [...loc, key, i], "Input should be a valid string", item);
  });
  return issues.list.length === before ? (value as string[]) : undefined;
}

export function readObject(obj: JsonObject, key: string, loc: Loc, issues: Issues, opts: FieldOptions = {}) {
  const [present, value] = field(obj, key, loc, issues, opts);
  if (!present) return value as null | undefined;
  if (!isObject(value)) {
    return issues.add(
      "model_attributes_type",
      [...loc, key],
      "Input should be a valid dictionary or object to extract fields from",
      value,
    );
  }
  return value;
}

/** An enum member (pydantic: `Input should be 'Block' or 'File'`). */
export function checkEnum<T extends string>(
  value: string | null | undefined,
  allowed: readonly T[],
  loc: Loc,
  issues: Issues,
): T | undefined {
  if (value === null || value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  return issues.add("enum", loc, `Input should be ${quoteList(allowed)}`, value, {
    expected: quoteList(allowed),
  });
}

export function checkPattern(value: string, pattern: RegExp, source: string, loc: Loc, issues: Issues) {
  if (pattern.test(value)) return value;
  return issues.add("string_pattern_mismatch", loc, `String should match pattern '${source}'`, value, {
    pattern: source,
  });
}

export function checkMaxLength(value: string, max: number, loc: Loc, issues: Issues) {
  if (value.length <= max) return value;
  return issues.add("string_too_long", loc, `String should have at most ${max} characters`, value, {
    max_length: max,
  });
}

// ---- query parameters -----------------------------------------------------------------------------

/** A query parameter as FastAPI reads it (the last occurrence wins for scalars). */
export function queryString(query: URLSearchParams, name: string, issues: Issues, required = false) {
  const value = query.get(name);
  if (value === null) return required ? issues.missing(["query", name], null) : undefined;
  return value;
}

export function queryInt(
  query: URLSearchParams,
  name: string,
  issues: Issues,
  range: { min?: number; max?: number },
) {
  const text = query.get(name);
  if (text === null) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(text)) {
    return issues.add(
      "int_parsing",
      ["query", name],
      "Input should be a valid integer, unable to parse string as an integer",
      text,
    );
  }
  return checkRange(Number(text), ["query", name], issues, range);
}

const TRUE = new Set(["1", "true", "t", "yes", "y", "on"]);
const FALSE = new Set(["0", "false", "f", "no", "n", "off"]);

export function queryBool(query: URLSearchParams, name: string, issues: Issues) {
  const text = query.get(name);
  if (text === null) return undefined;
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return issues.add(
    "bool_parsing",
    ["query", name],
    "Input should be a valid boolean, unable to interpret input",
    text,
  );
}

export function queryEnum<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
  issues: Issues,
) {
  return checkEnum(query.get(name), allowed, ["query", name], issues);
}

/** A comma-separated list parameter (`status_in=STATUS_NEW,STATUS_RUNNING`); repeated parameters add up. */
export function queryList(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

export function queryEnumList<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
  issues: Issues,
): T[] | undefined {
  const items = queryList(query, name);
  if (items === undefined) return undefined;
  const before = issues.list.length;
  items.forEach((item, i) => {
    checkEnum(item, allowed, ["query", name, i], issues);
  });
  return issues.list.length === before ? (items as T[]) : undefined;
}
