/**
 * The catalog of diagnostic codes. Codes are stable: once published a code keeps its meaning, is
 * never reused, and tests and users may match on it. The prefix names the phase that reports it.
 */
import type { Severity } from "./diagnostic.ts";

interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
}

export const CODES = {
  // ── input and format detection ─────────────────────────────────────────────────────────────
  FLOW001: { severity: "error", title: "the input format could not be determined" },
  FLOW002: { severity: "error", title: "this input format is not supported yet" },
  FLOW003: { severity: "error", title: "the input is empty" },

  // ── Flow YAML syntax ───────────────────────────────────────────────────────────────────────
  YAML001: { severity: "error", title: "YAML syntax error" },
  YAML002: { severity: "error", title: "duplicate key" },
  YAML003: { severity: "warning", title: "YAML 1.1 boolean spelling" },
  YAML004: { severity: "error", title: "the document is not a mapping" },
  YAML005: { severity: "error", title: "more than one YAML document" },
  YAML006: { severity: "error", title: "unsupported YAML feature" },

  // ── TaskConfig fields (shared by every frontend) ───────────────────────────────────────────
  IR001: { severity: "error", title: "wrong value type" },
  IR002: { severity: "error", title: "missing required field" },
  IR003: { severity: "error", title: "unknown field" },
  IR004: { severity: "error", title: "value out of range" },
  IR005: { severity: "error", title: "invalid value" },
  IR006: {
    severity: "error",
    title: "instance requirement: exactly one of instance_type, min_gpu_memory_gb",
  },
  IR007: { severity: "error", title: "more than one command form" },
  IR008: { severity: "error", title: "invalid task name" },
  IR009: { severity: "error", title: "price must be positive" },
  IR010: { severity: "error", title: "mount path must be absolute" },
  IR011: { severity: "error", title: "mount path used twice" },
  IR012: { severity: "error", title: "existing volume with new-volume options" },
  IR013: { severity: "error", title: "invalid environment variable name" },
  IR014: { severity: "warning", title: "environment value looks like a secret" },
  IR015: { severity: "info", title: "older field name" },
  IR016: { severity: "error", title: "min_run_time_hours exceeds max_run_time_hours" },
  IR017: { severity: "info", title: "script without an interpreter line" },

  // ── instance types ─────────────────────────────────────────────────────────────────────────
  IT001: { severity: "error", title: "invalid instance-type spelling" },
  IT002: { severity: "error", title: "no catalog instance type matches" },

  // ── FCP backend ────────────────────────────────────────────────────────────────────────────
  FCP001: { severity: "error", title: "startup script exceeds the size limit" },
  FCP002: { severity: "info", title: "region chosen by the compiler" },
  FCP003: { severity: "error", title: "instance type not offered in the region" },
  FCP004: { severity: "info", title: "limit price derived from priority" },
  FCP005: { severity: "info", title: "bid has no project" },
  FCP006: { severity: "warning", title: "field not yet honoured by the FCP backend" },
  FCP007: { severity: "error", title: "invalid catalog" },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;
