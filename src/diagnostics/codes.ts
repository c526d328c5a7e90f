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
  FLOW002: { severity: "error", title: "no frontend for this input format" },
  FLOW003: { severity: "error", title: "the input is empty" },
  FLOW004: { severity: "error", title: "the file cannot be read" },
  FLOW005: { severity: "error", title: "an invalid compile option" },

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
  IR018: { severity: "warning", title: "environment variable that bash sets itself" },
  IR019: { severity: "error", title: "the same volume listed twice" },
  IR020: { severity: "error", title: "volume names alike in their first 36 characters" },
  IR021: { severity: "error", title: "mount path the instance or docker cannot use" },

  // ── SLURM batch scripts: reading (spec/slurm.md §2–§5) ─────────────────────────────────────
  SBATCH001: { severity: "error", title: "the batch script is empty" },
  SBATCH002: {
    severity: "warning",
    title: "no `#!` interpreter line (sbatch rejects this; flow accepts it)",
  },
  SBATCH003: { severity: "warning", title: "DOS line endings (sbatch rejects these; flow accepts them)" },
  SBATCH004: { severity: "error", title: "NUL byte in the script" },
  SBATCH005: { severity: "info", title: "line that sbatch does not read as a directive" },
  SBATCH006: { severity: "warning", title: "legacy `#SLURM` directive prefix" },
  SBATCH007: { severity: "error", title: "unmatched quote in a directive" },
  SBATCH008: { severity: "error", title: "directive token starts with `:`" },
  SBATCH009: { severity: "error", title: "unknown option" },
  SBATCH010: { severity: "error", title: "ambiguous option prefix" },
  SBATCH011: { severity: "error", title: "option needs an argument" },
  SBATCH012: { severity: "error", title: "option takes no argument" },
  SBATCH013: { severity: "error", title: "stray word in directives (sbatch: invalid directive)" },
  SBATCH014: { severity: "info", title: "option given again: the last occurrence wins" },
  SBATCH015: { severity: "error", title: "heterogeneous job (hetjob/packjob) not supported" },
  SBATCH016: { severity: "error", title: "template placeholder in a directive" },
  SBATCH017: { severity: "warning", title: "foreign #PBS/#BSUB directives not applied" },
  SBATCH018: { severity: "info", title: "option that sbatch ignores inside scripts" },
  SBATCH019: { severity: "error", title: "option spelling this sbatch does not accept" },
  // ── SLURM batch scripts: meaning on the cloud ──────────────────────────────────────────────
  SBATCH020: { severity: "warning", title: "option with no meaning on the cloud: ignored" },
  SBATCH021: { severity: "error", title: "option that cannot be honoured on the cloud" },
  SBATCH022: { severity: "error", title: "invalid option value" },
  SBATCH023: { severity: "info", title: "option emulated on the instance" },
  SBATCH024: { severity: "info", title: "job name adjusted for the bid" },
  SBATCH025: { severity: "info", title: "GPU model mapped to an available type" },
  SBATCH026: { severity: "error", title: "no instance type satisfies the request" },
  SBATCH027: { severity: "warning", title: "no GPU requested" },
  SBATCH028: { severity: "info", title: "partition mapping" },
  SBATCH029: { severity: "error", title: "conflicting options" },
  // ── SLURM batch scripts: the body ──────────────────────────────────────────────────────────
  SBATCH030: { severity: "warning", title: "`module load` in the body" },
  SBATCH031: { severity: "info", title: "environment activation in the body" },
  SBATCH032: { severity: "warning", title: "srun option the shim does not honour" },
  SBATCH033: { severity: "warning", title: "nested sbatch/job-control command in the body" },
  SBATCH034: { severity: "warning", title: "container runtime in the body" },
  SBATCH035: { severity: "warning", title: "SLURM feature that cannot be emulated" },
  SBATCH036: { severity: "warning", title: "SBATCH_* variable that sbatch does not read" },
  SBATCH037: { severity: "info", title: "how sbatch reads an accepted value" },

  // ── submitit parameter JSON (spec/submitit.md §7) ─────────────────────────────────────────
  SUBMITIT001: { severity: "error", title: "JSON syntax error" },
  SUBMITIT002: { severity: "error", title: "duplicate JSON key" },
  SUBMITIT003: { severity: "error", title: "not a submitit parameter document" },
  SUBMITIT004: { severity: "error", title: "unknown field in the submitit document" },
  SUBMITIT005: { severity: "error", title: "wrong value type" },
  SUBMITIT006: { severity: "error", title: "unknown submitit parameter (submitit raises NameError)" },
  SUBMITIT007: { severity: "warning", title: "deprecated unprefixed parameter name" },
  SUBMITIT008: { severity: "warning", title: "parameter of another executor: ignored on Slurm" },
  SUBMITIT009: { severity: "error", title: "invalid parameter value" },
  SUBMITIT010: { severity: "warning", title: "no timeout_min: submitit's 5-minute default applies" },
  SUBMITIT011: { severity: "error", title: "document fields that cannot be combined" },
  SUBMITIT012: { severity: "warning", title: "a warning submitit itself gives" },
  SUBMITIT013: { severity: "warning", title: "setting with no meaning on the cloud: ignored" },
  SUBMITIT014: { severity: "info", title: "per-task log files are not written on the cloud" },
  SUBMITIT015: { severity: "error", title: "parameter given twice under two names" },
  SUBMITIT016: { severity: "warning", title: "a command line of several commands under srun" },

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
  FCP008: { severity: "error", title: "instance type too small for the per-node requirement" },
  FCP009: { severity: "error", title: "a project file cannot be packed for the code upload" },
  FCP010: { severity: "error", title: "the code archive exceeds its size limit" },
  FCP011: { severity: "warning", title: "a special file is left out of the code upload" },
  FCP012: { severity: "warning", title: "the platform cannot honour this field as written" },
  FCP013: { severity: "warning", title: "code upload requested but no project directory given" },
  FCP014: { severity: "info", title: "the code travels by upload after boot" },
  FCP015: { severity: "info", title: "a new volume is not in the compiled bid" },
  FCP016: {
    severity: "warning",
    title: "an array's running limit is kept by flow's submit commands, not by the bids",
  },
  FCP017: { severity: "warning", title: "an SSH key named, not given by FID" },
  FCP018: { severity: "error", title: "the flow API key is written in the job" },

  // ── FCP API (live submission) ──────────────────────────────────────────────────────────────
  API001: { severity: "error", title: "the API rejected a field of the bid (422)" },
  API002: { severity: "error", title: "an SSH key or volume named in the job does not exist" },
  API003: {
    severity: "error",
    title: "the job's existing volumes are in different regions (or not in the job's region)",
  },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;
