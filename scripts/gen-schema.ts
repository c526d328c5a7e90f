// Regenerates the editor schemas in schema/ from the zod schemas (run: npm run schema:update):
// schema/flow.schema.json (Flow YAML) and schema/submitit.schema.json (submitit parameter JSON).
import { mkdirSync, writeFileSync } from "node:fs";
import { submititJsonSchemaText } from "../src/frontends/submitit/schema.ts";
import { flowJsonSchemaText } from "../src/ir/json-schema.ts";

mkdirSync("schema", { recursive: true });
writeFileSync("schema/flow.schema.json", flowJsonSchemaText());
console.log("wrote schema/flow.schema.json");
writeFileSync("schema/submitit.schema.json", submititJsonSchemaText());
console.log("wrote schema/submitit.schema.json");
