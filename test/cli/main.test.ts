/**
 * The program registers only the command being run (start-up time); these tests hold the list of
 * command names to the commands that exist, and show each still parses and helps when run alone.
 */
import { describe, expect, test } from "vitest";
import { COMMAND_NAMES } from "../../src/cli/main.ts";
import { runCli } from "../helpers/cli.ts";

describe("flow's command registration", () => {
  test("the help lists exactly the commands of COMMAND_NAMES", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    const commands = r.stdout.slice(r.stdout.indexOf("Commands:"));
    const listed = [...commands.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)]
      .map((m) => m[1])
      .filter((n) => n !== "help");
    expect(new Set(listed)).toEqual(new Set(COMMAND_NAMES));
  });

  test.each([...COMMAND_NAMES])("`flow %s --help` works with only that command registered", async (name) => {
    const r = await runCli([name, "--help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Usage: flow ${name}`);
  });

  test("a misspelt command still gets a suggestion (every command is registered then)", async () => {
    const r = await runCli(["compil", "x.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("compile");
  });

  test("--version needs no command", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
