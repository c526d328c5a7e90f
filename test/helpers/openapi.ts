/** Validators for request bodies against the vendor's OpenAPI document (spec/mithril-openapi.json). */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";

const document = JSON.parse(readFileSync("spec/mithril-openapi.json", "utf8"));

/** A validator for `#/components/schemas/<name>`; returns the ajv errors as text, "" when valid. */
export function schemaValidator(name: string): (body: unknown) => string {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: "oas", components: document.components });
  const validate = ajv.compile({ $ref: `oas#/components/schemas/${name}` });
  return (body) => (validate(body) ? "" : ajv.errorsText(validate.errors));
}
