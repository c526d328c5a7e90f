/**
 * Which frontend reads a file: `--format` when given, else the extension, else the content.
 * Detection never guesses silently between two plausible formats: it reports what it tried.
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

/** The format of a file, or a FLOW001 diagnostic listing what was tried. */
export function detectFormat(
  filename: string,
  text: string,
): { format?: InputFormat; diagnostics: Diagnostic[] } {
  const dot = filename.lastIndexOf(".");
  const extension = dot > filename.lastIndexOf("/") && dot >= 0 ? filename.slice(dot).toLowerCase() : "";
  const byExtension = BY_EXTENSION[extension];
  if (byExtension) return { format: byExtension, diagnostics: [] };
  const head = text.replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("#!") || /^#SBATCH/m.test(text)) return { format: "slurm", diagnostics: [] };
  if (head.startsWith("{")) return { format: "submitit", diagnostics: [] };
  if (/^[A-Za-z_][\w-]*\s*:/m.test(head)) return { format: "yaml", diagnostics: [] };
  return {
    diagnostics: [
      diagnostic("FLOW001", `cannot tell the format of \`${filename}\``, undefined, {
        notes: [
          {
            message: `tried the extension \`${extension || "(none)"}\` (.yaml/.yml, .sbatch/.slurm/.sh, .json)`,
          },
          { message: "tried the content: no `#!`/`#SBATCH` line, no JSON object, no YAML mapping" },
        ],
        suggestions: [{ message: "pass `--format yaml|slurm|submitit`" }],
      }),
    ],
  };
}
