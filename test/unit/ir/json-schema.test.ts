import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import { flowJsonSchemaText } from "../../../src/ir/json-schema.ts";

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

  test("every field has a description", () => {
    const schema = JSON.parse(flowJsonSchemaText());
    for (const [field, def] of Object.entries(schema.properties)) {
      expect((def as { description?: string }).description, field).toBeTruthy();
    }
  });
});
