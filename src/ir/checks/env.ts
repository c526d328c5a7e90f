/**
 * Rules for `env`: names are shell identifiers outside flow's own `FLOW_` prefix (the startup script
 * uses it, and a task's variables are visible to the script), and values that look like credentials
 * are warned about — the startup script is stored in the bid in plain text, readable by anyone with
 * access to the project.
 */
import { type Diagnostic, diagnostic } from "../../diagnostics/diagnostic.ts";
import { isRecord } from "../describe.ts";
import { spanAt } from "../span-map.ts";
import type { Check } from "./check.ts";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names bash will not let the startup script set: exporting one aborts the script ("readonly
 * variable"), and IFS would change how the script itself splits words.
 */
const BASH_READONLY: ReadonlySet<string> = new Set([
  "BASHOPTS",
  "BASH_VERSINFO",
  "EUID",
  "PPID",
  "SHELLOPTS",
  "UID",
  "IFS",
]);

/** Names bash sets or rewrites on its own: the command would not see the value as written. */
const BASH_MANAGED: ReadonlySet<string> = new Set([
  "_",
  "BASHPID",
  "BASH_ARGV0",
  "BASH_COMMAND",
  "BASH_SUBSHELL",
  "EPOCHREALTIME",
  "EPOCHSECONDS",
  "HISTCMD",
  "LINENO",
  "OLDPWD",
  "PWD",
  "RANDOM",
  "SECONDS",
  "SHLVL",
  "SRANDOM",
]);
const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)/i;
const SECRET_VALUE = /^(fkey_|sk-|ghp_|gho_|github_pat_|xox[abp]-|hf_|AKIA)[A-Za-z0-9_-]{8,}/;

export const checkEnv: Check = (task, spans) => {
  if (!isRecord(task.env)) return [];
  const out: Diagnostic[] = [];
  for (const [name, value] of Object.entries(task.env)) {
    if (!ENV_NAME.test(name)) {
      const fixed = name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9])/, "_");
      out.push(
        diagnostic(
          "IR013",
          `invalid environment variable name \`${name}\``,
          spanAt(spans, ["env", name], true),
          {
            notes: [{ message: "names are letters, digits and underscores, not starting with a digit" }],
            suggestions: [{ message: `use \`${fixed}\``, replacement: fixed }],
          },
        ),
      );
    }
    if (name.startsWith("FLOW_")) {
      out.push(
        diagnostic(
          "IR013",
          `\`${name}\`: names starting with FLOW_ are reserved for flow's startup script`,
          spanAt(spans, ["env", name], true),
          {
            suggestions: [{ message: "choose another name" }],
          },
        ),
      );
    }
    if (BASH_READONLY.has(name)) {
      out.push(
        diagnostic(
          "IR013",
          `\`${name}\` cannot be set: bash ${name === "IFS" ? "would split the startup script's own words with it" : "keeps it read-only, and setting it would stop the startup script"}`,
          spanAt(spans, ["env", name], true),
          { suggestions: [{ message: "choose another name and read it in the command" }] },
        ),
      );
    } else if (BASH_MANAGED.has(name)) {
      out.push(
        diagnostic(
          "IR018",
          `\`${name}\` is set by bash itself: the command would not see the value as written`,
          spanAt(spans, ["env", name], true),
          { suggestions: [{ message: "choose another name" }] },
        ),
      );
    }
    if (typeof value !== "string") continue;
    if (
      value !== "" &&
      (SECRET_NAME.test(name) || SECRET_VALUE.test(value)) &&
      !/^\$\{?[A-Za-z_]/.test(value)
    ) {
      out.push(
        diagnostic(
          "IR014",
          `\`${name}\` looks like a secret: it would be stored in plain text in the bid`,
          spanAt(spans, ["env", name]),
          {
            notes: [{ message: "the startup script is readable by everyone with access to the project" }],
            suggestions: [
              { message: "fetch the secret at run time (a secrets manager, or a file on a volume) instead" },
            ],
          },
        ),
      );
    }
  }
  return out;
};
