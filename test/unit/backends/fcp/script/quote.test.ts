import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import {
  isValidEnvName,
  shellQuote,
  shellQuoteCommandName,
} from "../../../../../src/backends/fcp/script/quote.ts";

/** Characters and fragments that mean something to bash, plus multi-byte text. */
const TRICKY = [
  "'",
  '"',
  "\\",
  "\n",
  "\r",
  "\t",
  " ",
  "$",
  "`",
  "!",
  "*",
  "?",
  "~",
  "#",
  ";",
  "&",
  "|",
  "<",
  ">",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  "=",
  "%",
  "-",
  "a",
  "Z",
  "0",
  "\x01",
  "\x1b",
  "\x7f",
  "é",
  "ß",
  "中",
  "😀",
  "\u{1F468}\u200D\u{1F469}",
  "\u00a0",
  "$(touch /tmp/flow-pwned)",
  "`id`",
  `\${HOME}`,
  "$'x'",
  "'\\''",
  "!!",
  "\\\n",
];

/** Any string without NUL: whole-range code points, tricky fragments, or ASCII control text. */
const shellString = fc
  .oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 30 }),
    fc.string({ unit: "binary-ascii", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
  )
  .map((s) => s.replaceAll("\0", ""));

/** Runs one bash that prints each value through its quoted form, NUL-terminated, and returns the bytes. */
function echoThroughBash(values: readonly string[], locale: string): Buffer {
  const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join("\n");
  const result = spawnSync("/bin/bash", ["-c", script], {
    env: { PATH: "/usr/bin:/bin", LC_ALL: locale },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.error) throw result.error;
  expect(result.stderr.toString()).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

describe("shellQuote", () => {
  it.each([
    ["", "''"],
    ["abc", "abc"],
    ["/usr/local/bin", "/usr/local/bin"],
    ["--nproc_per_node=8", "--nproc_per_node=8"],
    ["user@host:a,b+c%d", "user@host:a,b+c%d"],
    ["=", "'='"],
    ["==x", "'==x'"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["'", "''\\'''"],
    ["$(rm -rf /)", "'$(rm -rf /)'"],
    ["`id`", "'`id`'"],
    ["a\nb", "'a\nb'"],
    ["~", "'~'"],
    ["*.py", "'*.py'"],
    ["back\\slash", "'back\\slash'"],
    ["héllo", "'héllo'"],
  ])("quotes %j as %j", (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });

  it("throws on NUL, which no shell word can carry", () => {
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
  });

  it("reproduces the fixed tricky fragments in bash", () => {
    expect(echoThroughBash(TRICKY, "C.UTF-8").toString("utf8")).toBe(TRICKY.map((v) => `${v}\0`).join(""));
  });

  describe.each(["C", "C.UTF-8"])("with LC_ALL=%s", (locale) => {
    test.prop([fc.array(shellString, { minLength: 1, maxLength: 25 })], { numRuns: 200 })(
      "bash prints exactly the original strings",
      (values) => {
        const expected = Buffer.from(values.map((v) => `${v}\0`).join(""), "utf8");
        expect(echoThroughBash(values, locale).equals(expected)).toBe(true);
      },
    );
  });
});

describe("shellQuoteCommandName", () => {
  const bin = mkdtempSync(join(tmpdir(), "flow-quote-"));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it.each([
    ["python", "python"],
    ["FOO=bar", "'FOO=bar'"],
    ["time", "'time'"],
    ["if", "'if'"],
    ["a b", "'a b'"],
    ["", "''"],
  ])("quotes %j as %j", (value, quoted) => {
    expect(shellQuoteCommandName(value)).toBe(quoted);
  });

  it.each(["FOO=bar", "time", "if"])("makes bash run the program named %j", (name) => {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "ran $*"\n`);
    chmodSync(join(bin, name), 0o755);
    const result = spawnSync("/bin/bash", ["-c", `${shellQuoteCommandName(name)} ${shellQuote("x y")}`], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    expect(result.stdout).toBe("ran x y\n");
    expect(result.status).toBe(0);
  });
});

describe("isValidEnvName", () => {
  it.each(["A", "_", "_a1", "PATH", "wandb_API_KEY"])("accepts %j", (name) => {
    expect(isValidEnvName(name)).toBe(true);
  });

  it.each(["", "1A", "A-B", "A B", "A=B", "é", "A\n"])("rejects %j", (name) => {
    expect(isValidEnvName(name)).toBe(false);
  });
});
