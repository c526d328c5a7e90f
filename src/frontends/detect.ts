/**
 * Which frontend reads a file: `--format` when given, else the extension, else the content.
 * Detection never guesses silently between two plausible formats: it reports what it tried.
 *
 * By content: a `#!` first line or a `#SBATCH` line → SLURM; a JSON object with a submitit key
 * (`"parameters"`, `"parameters_list"`, `"format": "submitit/v1"`) → submitit; a JSON object with
 * TaskConfig keys, or a YAML mapping → Flow YAML (JSON is YAML). A `.json` file is always read as
 * submitit; the submitit frontend says clearly when it is not a submitit document.
 */
import { type Diagnostic, diagnostic } from "../diagnostics/diagnostic.ts";

export const INPUT_FORMATS = ["yaml", "slurm", "submitit"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

const BY_EXTENSION: Readonly<Record<string, InputFormat>> = {
  ".yaml": "yaml",
  ".yml": "yaml",
  ".sbatch": "slurm",
  ".slurm": "slurm",
  ".sh": "slurm",
  ".json": "submitit",
};

/** How much of the text content detection looks at. */
const SNIFF_CHARS = 65536;

const SUBMITIT_KEY = /"(parameters|parameters_list)"\s*:|"format"\s*:\s*"submitit\//;
const TASK_KEY = /"(name|instance_type|min_gpu_memory_gb)"\s*:/;

/** The format of a file, or a FLOW001 diagnostic listing what was tried. */
export function detectFormat(
  filename: string,
  text: string,
): { format?: InputFormat; diagnostics: Diagnostic[] } {
  const dot = filename.lastIndexOf(".");
  const extension = dot > filename.lastIndexOf("/") && dot >= 0 ? filename.slice(dot).toLowerCase() : "";
  const byExtension = BY_EXTENSION[extension];
  if (byExtension) return { format: byExtension, diagnostics: [] };
  const sample = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  const head = sample.replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("#!") || /^#SBATCH/m.test(sample)) return { format: "slurm", diagnostics: [] };
  let json = "";
  if (head.startsWith("{")) {
    if (SUBMITIT_KEY.test(head)) return { format: "submitit", diagnostics: [] };
    if (TASK_KEY.test(head)) return { format: "yaml", diagnostics: [] };
    json =
      "a JSON object, but neither with submitit keys (`parameters`, `format: submitit/v1`) nor with task keys (`name`, `instance_type`)";
  } else if (/^[A-Za-z_][\w-]*\s*:/m.test(head)) {
    return { format: "yaml", diagnostics: [] };
  }
  return {
    diagnostics: [
      diagnostic("FLOW001", `cannot tell the format of \`${filename}\``, undefined, {
        notes: [
          {
            message: `tried the extension \`${extension || "(none)"}\` (.yaml/.yml, .sbatch/.slurm/.sh, .json)`,
          },
          {
            message: `tried the content: ${json || "no `#!`/`#SBATCH` line, no JSON object, no YAML mapping"}`,
          },
        ],
        suggestions: [{ message: "pass `--format yaml|slurm|submitit`" }],
      }),
    ],
  };
}
