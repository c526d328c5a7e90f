/**
 * sbatch's whole-script checks (spec §2, SB `_get_script_buffer()`), each a diagnostic at the place
 * concerned: an empty or blank script (SBATCH001), no `#!` in the first two bytes (SBATCH002 — flow
 * accepts it), CRLF line ends (SBATCH003 — flow reads them as plain line ends), a NUL byte
 * (SBATCH004). Also reads the interpreter from the `#!` line.
 */
import { type Diagnostic, diagnostic } from "../../../diagnostics/diagnostic.ts";

/** What the whole-script checks found. */
export interface ScriptCheck {
  readonly diagnostics: readonly Diagnostic[];
  /** Empty or blank: there is nothing more to read. */
  readonly empty: boolean;
  /** The rest of the `#!` line, trimmed (`/bin/bash`, `/usr/bin/env bash`); read past a byte-order mark. */
  readonly interpreter: string | undefined;
}

const BLANK_ONLY = /^[ \t\n\v\f\r]*$/;
const TRIM = /^[ \t\v\f\r]+|[ \t\v\f\r]+$/g;

/** Runs the checks of spec §2 on the script text. */
export function checkScript(text: string): ScriptCheck {
  if (BLANK_ONLY.test(text)) {
    const message =
      text.length === 0
        ? "the batch script is empty: sbatch refuses it"
        : "the batch script contains only blanks: sbatch refuses it";
    return {
      diagnostics: [diagnostic("SBATCH001", message, { start: 0, end: 0 })],
      empty: true,
      interpreter: undefined,
    };
  }
  const diagnostics: Diagnostic[] = [];
  const firstLineEnd = text.indexOf("\n") < 0 ? text.length : text.indexOf("\n");
  let interpreter: string | undefined;
  const bom = text.startsWith("\uFEFF");
  if (text.startsWith("#!", bom ? 1 : 0)) {
    const rest = text.slice(bom ? 3 : 2, firstLineEnd).replace(TRIM, "");
    interpreter = rest === "" ? undefined : rest;
  }
  if (!text.startsWith("#!")) {
    const firstLine = {
      start: 0,
      end: text.charCodeAt(firstLineEnd - 1) === 13 ? firstLineEnd - 1 : firstLineEnd,
    };
    diagnostics.push(
      diagnostic(
        "SBATCH002",
        bom
          ? 'the script starts with a byte-order mark, so its first two bytes are not `#!`: sbatch rejects it ("This does not look like a batch script"); flow accepts it and reads on as if the mark were not there'
          : 'the script does not start with an interpreter line (`#!`): sbatch rejects it ("This does not look like a batch script"); flow accepts it',
        bom ? { start: 0, end: 1 } : firstLine,
        {
          suggestions: bom
            ? [{ message: "remove the byte-order mark", replacement: "" }]
            : [{ message: "start the script with `#!/bin/bash`" }],
        },
      ),
    );
  }
  const crlf = text.indexOf("\r\n");
  if (crlf >= 0) {
    diagnostics.push(
      diagnostic(
        "SBATCH003",
        "DOS line ends (CR LF): sbatch rejects the script; flow reads each CR LF as a plain line end",
        { start: crlf, end: crlf + 1 },
        { suggestions: [{ message: "convert the file to Unix line ends (`dos2unix`)" }] },
      ),
    );
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    diagnostics.push(
      diagnostic("SBATCH004", "NUL byte in the script: sbatch rejects it (a batch script must be text)", {
        start: nul,
        end: nul + 1,
      }),
    );
  }
  return { diagnostics, empty: false, interpreter };
}
