/**
 * End-to-end harness: a real emulator on loopback (started and stopped by the test), a temporary
 * HOME and working directory, and the CLI run in-process with FLOW_* pointing at the emulator.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from "../../src/emulator/index.ts";
import { type CliRun, runCli } from "../helpers/cli.ts";

export interface Harness {
  readonly emulator: EmulatorHandle;
  readonly home: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Runs `flow …` with the harness's env and cwd (overridable). */
  run(
    argv: string[],
    options?: { env?: Record<string, string>; cwd?: string; tty?: boolean; stdoutTty?: boolean },
  ): Promise<CliRun>;
  /** Writes files under the working directory. */
  write(files: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ seed: 7, ...options });
  const home = mkdtempSync(join(tmpdir(), "flow-home-"));
  const cwd = mkdtempSync(join(tmpdir(), "flow-work-"));
  const env = {
    HOME: home,
    FLOW_API_URL: emulator.url,
    FLOW_API_KEY: emulator.apiKey,
    FLOW_PROJECT: emulator.projectId,
  };
  return {
    emulator,
    home,
    cwd,
    env,
    run: (argv, o = {}) =>
      runCli(argv, {
        cwd: o.cwd ?? cwd,
        env: { ...env, ...o.env },
        ...(o.tty ? { tty: true } : {}),
        ...(o.stdoutTty !== undefined ? { stdoutTty: o.stdoutTty } : {}),
      }),
    write(files) {
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(join(cwd, name, ".."), { recursive: true });
        writeFileSync(join(cwd, name), text);
      }
    },
    close: () => emulator.close(),
  };
}

/** A bid as the emulator's API returns it (the fields tests look at). */
export interface EmulatorBid {
  fid: string;
  name: string;
  status: string;
  region: string;
  instance_type: string;
  limit_price: string;
  instances: string[];
  launch_specification: { volumes: string[]; ssh_keys: string[]; startup_script: string | null };
}

/** Every bid of the emulator's project, through its API (not through flow's client). */
export async function emulatorBids(h: Harness): Promise<EmulatorBid[]> {
  const out: EmulatorBid[] = [];
  let cursor: string | null = null;
  do {
    const url = new URL(`${h.emulator.url}/v2/spot/bids`);
    url.searchParams.set("project", h.emulator.projectId);
    url.searchParams.set("limit", "100");
    if (cursor) url.searchParams.set("next_cursor", cursor);
    const res = await fetch(url, { headers: { authorization: `Bearer ${h.emulator.apiKey}` } });
    const body = (await res.json()) as { data: EmulatorBid[]; next_cursor: string | null };
    out.push(...body.data);
    cursor = body.next_cursor;
  } while (cursor);
  return out;
}

/** Creates an SSH key in the emulator's project (through its API); returns its FID. */
export async function createSshKey(h: Harness, name: string, publicKey?: string): Promise<string> {
  const res = await fetch(`${h.emulator.url}/v2/ssh-keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.emulator.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      project: h.emulator.projectId,
      name,
      ...(publicKey ? { public_key: publicKey } : {}),
    }),
  });
  if (res.status !== 201) throw new Error(`creating an ssh key: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { fid: string }).fid;
}
