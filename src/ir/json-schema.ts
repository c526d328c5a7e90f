/**
 * The JSON Schema of Flow YAML, generated from the one zod schema so editors validate exactly
 * what the compiler accepts. `schema/flow.schema.json` is this output, checked in; a test fails
 * when it is stale (`npm run schema:update` rewrites it).
 */
import * as z from "zod/mini";
import { TaskConfigSchema } from "./task-config.ts";

export const FLOW_SCHEMA_ID = "https://flow.dev/schema/flow.schema.json";

/** The schema document as text, with a trailing newline (what the checked-in file holds). */
export function flowJsonSchemaText(): string {
  const schema = z.toJSONSchema(TaskConfigSchema, { io: "input", target: "draft-2020-12" });
  const document = { ...schema, $id: FLOW_SCHEMA_ID, title: "Flow task (TaskConfig)" };
  return `${JSON.stringify(document, null, 2)}\n`;
}
