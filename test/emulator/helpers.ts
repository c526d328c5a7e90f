/** A started emulator and a tiny fetch client for the emulator tests; responses are checked against OAS26. */

import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { builtinCatalog } from "../../src/backends/fcp/catalog/index.ts";
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from "../../src/emulator/index.ts";

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies freely
  body: any;
  headers: Headers;
  text: string;
}

/** Sends a request; `key: null` sends none, a string sends that key. */
export async function call(
  e: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
  options: { key?: string | null; raw?: string } = {},
): Promise<Reply> {
  const key = options.key === undefined ? e.apiKey : options.key;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${e.url}${path}`, {
    method,
    headers,
    redirect: "manual",
    ...(options.raw !== undefined
      ? { body: options.raw }
      : body !== undefined
        ? { body: JSON.stringify(body) }
        : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    headers: response.headers,
    text,
  };
}

/** One emulator per test file, reset before each test. */
export function useEmulator(options: EmulatorOptions = {}): { readonly e: EmulatorHandle } {
  const box = {} as { e: EmulatorHandle };
  beforeAll(async () => {
    box.e = await startEmulator(options);
  });
  afterAll(async () => {
    await box.e?.close();
  });
  beforeEach(() => {
    box.e.controls.reset();
  });
  return box;
}

/**
 * OpenAPI 3.0's `nullable` next to a `$ref` (no `type`) is something ajv refuses to compile: rewrite
 * it as `anyOf: [schema, null]`, which means the same. `nullable` beside a `type` ajv understands.
 */
function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (typeof node !== "object" || node === null) return node;
  const entries = Object.entries(node).map(([k, v]) => [k, normalizeNullable(v)] as const);
  const copy = Object.fromEntries(entries) as Record<string, unknown>;
  if (copy.nullable === true && copy.type === undefined) {
    const { nullable: _, ...rest } = copy;
    return { anyOf: [rest, { type: "null" }] };
  }
  return copy;
}

/** The vendor document (`nullable` normalized for ajv). */
export const document = normalizeNullable(JSON.parse(readFileSync("spec/mithril-openapi.json", "utf8"))) as {
  components: unknown;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
// The vendor document's own format names: timestamps as the emulator writes them (§3.3), e-mail addresses.
ajv.addFormat("datetime", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addFormat("email", /^[^@\s]+@[^@\s]+$/);
ajv.addSchema({ $id: "oas", components: document.components });

function schemaValidator(name: string): (body: unknown) => string {
  const validate = ajv.compile({ $ref: `oas#/components/schemas/${name}` });
  return (body) => (validate(body) ? "" : ajv.errorsText(validate.errors));
}

const validators = new Map<string, (body: unknown) => string>();

/** Local `#/components/…` references made absolute to the registered document. */
function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith("#") ? `oas${v}` : absoluteRefs(v),
    ]),
  );
}

/** ajv errors of `body` against an inline schema of the document ("" when valid). */
export function inlineSchemaErrors(schema: unknown, body: unknown): string {
  const validate = ajv.compile(absoluteRefs(schema) as object);
  return validate(body) ? "" : ajv.errorsText(validate.errors);
}

/** ajv errors of `body` against `#/components/schemas/<name>` (an array schema when name ends in `[]`); "" when valid. */
export function schemaErrors(name: string, body: unknown): string {
  const list = name.endsWith("[]");
  const base = list ? name.slice(0, -2) : name;
  let validate = validators.get(base);
  if (!validate) {
    validate = schemaValidator(base);
    validators.set(base, validate);
  }
  if (!list) return validate(body);
  if (!Array.isArray(body)) return "expected an array";
  return body.map((item, i) => (validate(item) ? `[${i}] ${validate(item)}` : "")).join("");
}

/** A bid body that the emulator accepts in the default fixtures (8×H100 in us-central1-b at $8.00). */
export function bidBody(e: EmulatorHandle, overrides: Record<string, unknown> = {}) {
  return {
    project: e.projectId,
    region: "us-central1-b",
    instance_type: H100_FID(),
    limit_price: "$12.00",
    instance_quantity: 1,
    name: "job",
    launch_specification: { volumes: [], ssh_keys: [], startup_script: "#!/bin/bash\necho hello\n" },
    ...overrides,
  };
}

/** FIDs from the built-in catalog, by name and region (tests do not spell FIDs either). */
export function fidOf(name: string, region: string): string {
  const entry = builtinCatalog().instanceTypes.find((t) => t.name === name && t.regions.includes(region));
  if (!entry) throw new Error(`no ${name} in ${region}`);
  return entry.fid;
}

export const H100_FID = () => fidOf("h100-80gb.sxm.8x", "us-central1-b");
export const A100_1X_FID = () => fidOf("a100-80gb.sxm.1x", "eu-central1-a");
