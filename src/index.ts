/**
 * flow's public API — nothing else is public. `compile(text, options)` runs the whole pipeline;
 * the rest are the types of its result and the helpers a tool needs to present it.
 */
export type { BidRequest, LaunchSpecification } from "./backends/fcp/bid.ts";
export { builtinCatalog, type Catalog, loadCatalogFile } from "./backends/fcp/catalog/index.ts";
export {
  buildCodeArchive,
  type CodeArchive,
  type CodeArchiveOptions,
  MAX_CODE_ARCHIVE_BYTES,
} from "./backends/fcp/code/archive.ts";
export type { StartupScript } from "./backends/fcp/lower.ts";
export { DEFAULT_SCRIPT_LIMIT } from "./backends/fcp/script/assemble.ts";
export { shellQuote } from "./backends/fcp/script/quote.ts";
export { type CompileOptions, type CompileResult, compile } from "./compile.ts";
export { CODES, type DiagnosticCode } from "./diagnostics/codes.ts";
export type { Diagnostic, Note, Severity, Suggestion } from "./diagnostics/diagnostic.ts";
export {
  type DiagnosticJson,
  diagnosticToJson,
  renderDiagnostic,
  renderDiagnostics,
} from "./diagnostics/render.ts";
export { INPUT_FORMATS, type InputFormat } from "./frontends/detect.ts";
export { parseInstanceType, printInstanceType } from "./ir/instance-type/index.ts";
export { type MountSpec, type TaskConfig, TaskConfigSchema, type VolumeSpec } from "./ir/task-config.ts";
export type { SourceFile, Span } from "./source/source-file.ts";
