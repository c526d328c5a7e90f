/**
 * `flow emulator`: runs the local FCP API emulator until SIGINT (exit 130) or SIGTERM (exit 0).
 * Prints the three variables the other commands read (`FLOW_API_URL`, `FLOW_API_KEY`,
 * `FLOW_PROJECT`) on stdout as `export` lines, and a one-line summary on stderr.
 */
import { shellQuote } from "../../backends/fcp/script/quote.ts";
import { type EmulatorHandle, type Fixtures, loadFixturesFile, startEmulator } from "../../emulator/index.ts";
import { readInput } from "../files.ts";
import { type CliIo, EXIT, UsageError } from "../io.ts";

export interface EmulatorFlags {
  port?: string;
  host?: string;
  fixtures?: string;
  profile?: "fast" | "realistic";
  seed?: string;
  apiKey?: string;
  clock?: "manual" | "wall";
  log?: boolean;
}

/** Resolves with the signal that asked the emulator to stop. */
function untilSignal(): Promise<"SIGINT" | "SIGTERM"> {
  return new Promise((resolve) => {
    const onInt = () => done("SIGINT");
    const onTerm = () => done("SIGTERM");
    const done = (signal: "SIGINT" | "SIGTERM") => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(signal);
    };
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`--port: expected a port number 0–65535 (0 = any free port), got \`${text}\``);
  }
  return Number(text);
}

function parseSeed(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--seed: expected a non-negative integer, got \`${text}\``);
  }
  return Number(text);
}

/**
 * Starts the emulator and serves until `stop` resolves (default: SIGINT or SIGTERM). Resolves to
 * the exit code: 130 after SIGINT, 0 otherwise.
 */
export async function emulatorCommand(
  io: CliIo,
  flags: EmulatorFlags,
  stop?: Promise<"SIGINT" | "SIGTERM" | "stop">,
): Promise<number> {
  const port = parsePort(flags.port);
  const seed = parseSeed(flags.seed);
  if (flags.apiKey !== undefined && !/^fkey_[A-Za-z0-9_-]+$/.test(flags.apiKey)) {
    throw new UsageError(
      "--api-key: expected a key shaped like the real ones, `fkey_` then letters and digits",
    );
  }
  let fixtures: Fixtures | undefined;
  if (flags.fixtures !== undefined) {
    const loaded = loadFixturesFile(await readInput(io, flags.fixtures), flags.fixtures);
    if (!loaded.ok) throw new UsageError(`fixtures \`${flags.fixtures}\`: ${loaded.message}`);
    fixtures = loaded.fixtures;
  }
  const profile = flags.profile ?? "fast";
  const clock = flags.clock ?? "wall";
  let emulator: EmulatorHandle;
  try {
    emulator = await startEmulator({
      port,
      seed,
      profile,
      clock,
      ...(flags.host !== undefined ? { host: flags.host } : {}),
      ...(flags.apiKey !== undefined ? { apiKey: flags.apiKey } : {}),
      ...(fixtures !== undefined ? { fixtures } : {}),
      ...(flags.log ? { onRequest: (line: string) => io.stderr(`${line}\n`) } : {}),
      onError: (error) =>
        io.stderr(
          `flow emulator: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
        ),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot listen on ${flags.host ?? "127.0.0.1"}:${port}: ${code === "EADDRINUSE" ? "the port is in use" : (code ?? String(error))}`,
    );
  }
  // `eval "$(flow emulator)"`: an IPv6 URL (`http://[::1]:port`) would be a glob to sh unquoted
  io.stdout(
    `export FLOW_API_URL=${shellQuote(emulator.url)}\nexport FLOW_API_KEY=${shellQuote(emulator.apiKey)}\nexport FLOW_PROJECT=${shellQuote(emulator.projectId)}\n`,
  );
  io.stderr(
    `flow emulator: FCP API emulator on ${emulator.url} (profile ${profile}, seed ${seed}, ${clock} clock); test controls under ${emulator.url}/_emulator; Ctrl-C stops\n`,
  );
  const reason = await (stop ?? untilSignal());
  await emulator.close();
  io.stderr("flow emulator: stopped\n");
  return reason === "SIGINT" ? EXIT.interrupted : EXIT.ok;
}
