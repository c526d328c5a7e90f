/**
 * The Flow YAML frontend: read (syntax, spans) then validate against the TaskConfig schema and
 * rules. Flow YAML *is* TaskConfig, so lowering is validation; nothing is renamed or dropped.
 */
import { hasErrors, sortDiagnostics } from "../../diagnostics/diagnostic.ts";
import { validateTaskConfig } from "../../ir/validate.ts";
import type { SourceFile } from "../../source/source-file.ts";
import type { FrontendResult } from "../frontend.ts";
import { readYaml } from "./read.ts";

/** Compiles a Flow YAML file to a TaskConfig. Never throws on any input. */
export function lowerYaml(file: SourceFile): FrontendResult {
  const read = readYaml(file);
  if (read.data === undefined || hasErrors(read.diagnostics.filter((d) => d.code !== "YAML002"))) {
    return { value: undefined, spans: read.spans, diagnostics: sortDiagnostics(read.diagnostics) };
  }
  const validated = validateTaskConfig(read.data, read.spans);
  const diagnostics = sortDiagnostics([...read.diagnostics, ...validated.diagnostics]);
  return { value: hasErrors(diagnostics) ? undefined : validated.value, spans: read.spans, diagnostics };
}
