// Regenerates schema/flow.schema.json from the zod schema (run: npm run schema:update).
import { mkdirSync, writeFileSync } from "node:fs";
import { flowJsonSchemaText } from "../src/ir/json-schema.ts";

mkdirSync("schema", { recursive: true });
writeFileSync("schema/flow.schema.json", flowJsonSchemaText());
console.log("wrote schema/flow.schema.json");
