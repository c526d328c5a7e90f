/**
 * `flow emulator`: prints FLOW_API_URL/FLOW_API_KEY/FLOW_PROJECT, serves until stopped (SIGINT → 130,
 * SIGTERM → 0), refuses bad options with exit 2, and is never loaded by the other commands.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { emulatorCommand } from "../../src/cli/commands/emulator.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { runCli } from "../helpers/cli.ts";

function parseExports(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
}

function captureIo() {
  const out = { stdout: "", stderr: "" };
  const io: CliIo = {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    readStdin: async () => "",
    env: {},
    cwd: process.cwd(),
    stderrIsTTY: false,
    stdoutIsTTY: false,
  };
  return { io, out };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

describe("flow emulator (in-process)", () => {
  test("prints the three variables, serves the API with that key, stops with 130 on SIGINT", async () => {
    const { io, out } = captureIo();
    let stop!: (reason: "SIGINT" | "SIGTERM" | "stop") => void;
    const stopped = new Promise<"SIGINT" | "SIGTERM" | "stop">((r) => {
      stop = r;
    });
    const running = emulatorCommand(io, { port: "0", seed: "4", profile: "fast", log: true }, stopped);
    await until(() => out.stdout.includes("FLOW_PROJECT"));
    const env = parseExports(out.stdout);
    expect(env.FLOW_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.FLOW_API_KEY).toMatch(/^fkey_/);
    expect(env.FLOW_PROJECT).toMatch(/^proj_/);
    expect(out.stderr).toContain("/_emulator");
    const r = await fetch(`${env.FLOW_API_URL}/v2/projects`, {
      headers: { authorization: `Bearer ${env.FLOW_API_KEY}` },
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { fid: string }[])[0]!.fid).toBe(env.FLOW_PROJECT);
    expect(out.stderr).toContain("GET /v2/projects → 200\n");
    expect(out.stderr).not.toContain(env.FLOW_API_KEY!);
    stop("SIGINT");
    expect(await running).toBe(130);
    expect(out.stderr).toContain("stopped");
    await expect(fetch(`${env.FLOW_API_URL}/v2/projects`)).rejects.toThrow();
  });

  test("the export lines are shell words: an IPv6 URL reaches sh unchanged", async () => {
    const { io, out } = captureIo();
    const running = emulatorCommand(
      io,
      { port: "0", host: "::1" },
      new Promise((r) => setTimeout(() => r("stop"), 300)),
    );
    await until(() => out.stdout.includes("FLOW_PROJECT"));
    const shown = execFileSync("sh", ["-c", `${out.stdout}printf '%s' "$FLOW_API_URL"`], {
      encoding: "utf8",
    });
    expect(shown).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(await running).toBe(0);
  });

  test("--api-key and --fixtures are used; a stop request exits 0", async () => {
    const { io, out } = captureIo();
    const running = emulatorCommand(
      io,
      { port: "0", apiKey: "fkey_mine", fixtures: "fixtures/emulator/two-projects.yaml" },
      new Promise((r) => setTimeout(() => r("stop"), 300)),
    );
    await until(() => out.stdout.includes("FLOW_PROJECT"));
    const env = parseExports(out.stdout);
    expect(env.FLOW_API_KEY).toBe("fkey_mine");
    expect(env.FLOW_PROJECT).toBe("proj_Research00000001");
    expect(await running).toBe(0);
  });
});

describe("flow emulator: usage errors exit 2", () => {
  test.each([
    [["--port", "http"], "--port: expected a port number"],
    [["--port", "70000"], "--port"],
    [["--seed", "-1"], "--seed: expected a non-negative integer"],
    [["--api-key", "secret"], "--api-key"],
    [["--profile", "slow"], "slow"],
    [["--clock", "sundial"], "sundial"],
    [["--fixtures", "no/such/file.yaml"], "cannot read `no/such/file.yaml`: no such file"],
    [["--fixtures", "package.json"], "fixtures `package.json`: the top level: unknown keys"],
  ])("%j", async (args, message) => {
    const r = await runCli(["emulator", ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });

  test("a port in use", async () => {
    const { io, out } = captureIo();
    let stop!: (reason: "stop") => void;
    const first = emulatorCommand(
      io,
      { port: "0" },
      new Promise((r) => {
        stop = r;
      }),
    );
    await until(() => out.stdout.includes("FLOW_PROJECT"));
    const port = new URL(parseExports(out.stdout).FLOW_API_URL!).port;
    const r = await runCli(["emulator", "--port", port]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    stop("stop");
    expect(await first).toBe(0);
  });
});

describe("flow emulator as a process", () => {
  test.each([
    ["SIGTERM", 0],
    ["SIGINT", 130],
  ] as const)("%s → exit %i", async (signal, code) => {
    const child = spawn(process.execPath, ["src/cli/bin.ts", "emulator", "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    const exited = new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    await until(() => stdout.includes("FLOW_PROJECT"));
    const env = parseExports(stdout);
    const r = await fetch(`${env.FLOW_API_URL}/v2/spot/availability`, {
      headers: { authorization: `Bearer ${env.FLOW_API_KEY}` },
    });
    expect(r.status).toBe(200);
    child.kill(signal);
    expect(await exited).toBe(code);
  });
});

describe("cold start", () => {
  test("nothing reachable from the CLI entry by static imports belongs to src/emulator (it is loaded lazily)", () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/^(?:import|export)\s(?!type\b)[^;]*?from\s+"(\.[^"]+\.ts)"/gms)) {
        visit(resolve(dirname(file), m[1]!));
      }
    };
    visit(join(process.cwd(), "src/cli/bin.ts"));
    expect(seen.size).toBeGreaterThan(3);
    expect([...seen].filter((f) => f.includes("/src/emulator/"))).toEqual([]);
  });
});
