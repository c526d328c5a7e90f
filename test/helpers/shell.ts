/**
 * Checks that generated shell text is valid: `bash -n` (DESIGN invariant 4: never emit a script
 * bash rejects) and shellcheck (style guide: every script is linted). Both throw with the tool's
 * output so a failing test shows what is wrong; a missing shellcheck is an error, never a skip,
 * so a machine without it cannot pass the suite by accident. `runScript` executes a script the
 * way the instance does (`bash <file>`) in an environment the test controls.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * shellcheck findings that flag what the startup script does on purpose: SC2016 ("expressions
 * don't expand in single quotes"), SC2088 ("tilde does not expand in quotes") and SC1003 ("want to
 * escape a single quote?" on a value ending in a backslash) note that `shellQuote`'s literal text
 * stays literal; SC2320 ("this $? refers to
 * echo/printf") fires on `cmd || rc=$?` when the user's command is echo or printf, whose status is
 * exactly the one wanted; SC1091 ("not following" a sourced file) on the `module` functions the
 * script writes and then sources (their text is linted on its own, in modules.test.ts).
 */
const INTENDED = "SC2016,SC2088,SC1003,SC2320,SC1091";

/** Throws unless `bash -n` accepts `text`. */
export function bashSyntaxCheck(text: string): void {
  const result = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`bash -n rejected the script (status ${result.status}):\n${result.stderr}`);
  }
}

/** Throws unless `shellcheck -s bash` reports nothing for `text` (apart from the intended patterns above). */
export function shellcheck(text: string): void {
  const result = spawnSync("shellcheck", ["-s", "bash", "-e", INTENDED, "-"], {
    input: text,
    encoding: "utf8",
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    throw missing
      ? new Error(
          "shellcheck is not installed: install it (e.g. `apt-get install -y shellcheck`) to run these tests",
        )
      : result.error;
  }
  if (result.status !== 0) {
    throw new Error(`shellcheck found problems (status ${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

/** What a script run produced. */
export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/**
 * Runs `text` as `/bin/bash <file>` with exactly `env` as its environment (nothing inherited, so
 * PATH is what the test says) and waits for it and everything holding its output to finish.
 */
export function runScript(
  text: string,
  env: Readonly<Record<string, string>>,
  timeoutMs = 20_000,
): ScriptRun {
  const dir = mkdtempSync(join(tmpdir(), "flow-script-"));
  try {
    const file = join(dir, "startup.sh");
    writeFileSync(file, text);
    const result = spawnSync("/bin/bash", [file], {
      env: { ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
