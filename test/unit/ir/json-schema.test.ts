import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { submititJsonSchemaText } from "../../../src/frontends/submitit/schema.ts";
import { YAML11_FALSE_WORDS, YAML11_TRUE_WORDS } from "../../../src/frontends/yaml/read.ts";
import { compile } from "../../../src/index.ts";
import { annotateSchema, flowJsonSchemaText, titleOf } from "../../../src/ir/json-schema.ts";

/** Every property of a schema document (paths), with its annotations. */
function fields(schema: unknown): { path: string; def: Record<string, unknown> }[] {
  const out: { path: string; def: Record<string, unknown> }[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    for (const [k, v] of Object.entries((n.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      out.push({ path: `${path}${k}`, def: v });
      walk(v, `${path}${k}.`);
    }
    if (n.items) walk(n.items, `${path}[].`);
    for (const k of ["anyOf", "oneOf"]) if (Array.isArray(n[k])) for (const v of n[k]) walk(v, path);
    for (const [k, v] of Object.entries((n.$defs ?? {}) as Record<string, unknown>)) walk(v, `$defs.${k}.`);
  };
  walk(schema, "");
  return out;
}

describe("schema/flow.schema.json", () => {
  test("is up to date with the zod schema (npm run schema:update)", () => {
    expect(readFileSync("schema/flow.schema.json", "utf8")).toBe(flowJsonSchemaText());
  });

  test("validates a task and rejects a misspelled key, as the compiler does", () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(JSON.parse(flowJsonSchemaText()));
    expect(validate({ name: "t", instance_type: "a100", command: ["x"] })).toBe(true);
    expect(validate({ name: "t", instance_type: "a100", max_price: 1 })).toBe(false);
    expect(validate({ name: "t", num_instances: 0 })).toBe(false);
  });
});

describe("YAML 1.1 booleans: the schema and the Flow YAML reader agree", () => {
  // The schema lists the spellings it allows (an editor knows nothing else); the reader has its
  // own pattern. Each candidate is allowed by both or by neither.
  // The reader's words, the schema's, and near misses: each is allowed by both or by neither.
  const schemaWords = (
    JSON.parse(flowJsonSchemaText()).properties.upload_code.anyOf as { enum?: string[] }[]
  ).flatMap((a) => a.enum ?? []);
  const candidates = [
    ...new Set([
      ...YAML11_TRUE_WORDS,
      ...YAML11_FALSE_WORDS,
      ...schemaWords,
      ...["yEs", "oN", "t", "T", "1", "0", "enabled", "nope", "o", "ye", "true", "False"],
    ]),
  ];
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(flowJsonSchemaText()));
  test("the schema lists every word the reader reads", () => {
    expect([...schemaWords].sort()).toEqual([...YAML11_TRUE_WORDS, ...YAML11_FALSE_WORDS].sort());
  });
  test.each(candidates)("upload_code: %s", (word) => {
    const text = `name: t\ninstance_type: a100\ncommand: [x]\nupload_code: ${word}\n`;
    // an editor validates the document as a YAML 1.2 parser reads it
    const inSchema = validate(parse(text));
    const read = compile(text, { filename: "job.yaml" });
    const readerAccepts = !read.diagnostics.some((d) => d.severity === "error");
    expect(inSchema, `schema ${inSchema}, reader ${readerAccepts}`).toBe(readerAccepts);
  });
});

describe("schema/submitit.schema.json", () => {
  test("is up to date with the zod schema (npm run schema:update)", () => {
    expect(readFileSync("schema/submitit.schema.json", "utf8")).toBe(submititJsonSchemaText());
  });
});

describe.each([
  ["flow", flowJsonSchemaText],
  ["submitit", submititJsonSchemaText],
])("%s schema annotations", (_, text) => {
  test("every field, at every depth, has a title, a description and examples", () => {
    const all = fields(JSON.parse(text()));
    expect(all.length).toBeGreaterThan(30);
    for (const { path, def } of all) {
      expect(def.title, `${path}: title`).toBeTruthy();
      expect(def.description, `${path}: description`).toBeTruthy();
      expect(Array.isArray(def.examples) && def.examples.length > 0, `${path}: examples`).toBe(true);
    }
  });

  test("every example is valid for its own field", () => {
    const ajv = new Ajv2020({ strict: false });
    const document = JSON.parse(text());
    for (const { path, def } of fields(document)) {
      if (path.startsWith("$defs")) continue;
      const { examples, ...rest } = def;
      const check = ajv.compile({ ...rest, $defs: document.$defs ?? {} });
      for (const example of examples as unknown[])
        expect(check(example), `${path}: ${JSON.stringify(example)}`).toBe(true);
    }
  });
});

describe("annotateSchema", () => {
  test("adds titles and table docs without overriding the zod metadata", () => {
    const schema = {
      properties: {
        max_price: { description: "from zod" },
        volumes: { items: { properties: { name: {} } } },
      },
    };
    annotateSchema(schema, {
      max_price: { description: "table", examples: [1] },
      "volumes[].name": { title: "Volume name", description: "d", examples: ["x"] },
    });
    expect(schema.properties.max_price).toEqual({
      title: "Max price",
      description: "from zod",
      examples: [1],
    });
    expect(schema.properties.volumes.items.properties.name).toEqual({
      title: "Volume name",
      description: "d",
      examples: ["x"],
    });
    expect(titleOf("num_instances")).toBe("Num instances");
  });
});
