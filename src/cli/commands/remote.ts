/**
 * What every command that talks to the FCP API shares: the configuration (flags > FLOW_* >
 * ./.flow > ~/.flow), a client, the project FID, and how an API failure is shown — the typed
 * error's message and suggestions on stderr, exit code 3. The API key is never printed.
 */

import type { FcpClient } from "../../api/client.ts";
import { ApiError, ProtocolError } from "../../api/errors.ts";
import { type AuctionModel, type Catalog, catalogFromData } from "../../backends/fcp/catalog/index.ts";
import {
  ConfigError,
  type ConfigFlags,
  credentialsTooOpen,
  type FlowConfig,
  loadConfig,
} from "../../config/config.ts";
import { countText } from "../../diagnostics/count.ts";
import { type CliIo, EXIT, UsageError } from "../io.ts";

/** The flags every remote command takes. */
export interface RemoteFlags extends ConfigFlags {
  /** Per-request timeout in seconds. */
  timeout?: string;
}

export interface Remote {
  readonly config: FlowConfig;
  readonly client: FcpClient;
  /** Resolves the project (flag/env/config; a name or a FID; the only one when unset) to its FID. */
  readonly project: () => Promise<string>;
  readonly close: () => Promise<void>;
}

/** Loads the configuration; a malformed file is a usage error. */
export async function readConfig(io: CliIo, flags: ConfigFlags): Promise<FlowConfig> {
  try {
    return await loadConfig(io.env, io.cwd, flags);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The secrets of a loaded configuration — FLOW_API_KEY and the key it resolved — that nothing a
 * command prints, packs or puts in a task may contain.
 */
export function configSecrets(env: CliIo["env"], config: FlowConfig): string[] {
  return [...new Set([env.FLOW_API_KEY, config.apiKey])].filter((s): s is string => !!s);
}

/** The longest timer a seconds option may set: 24 h (Node caps a timer at 2^31 ms, ~24.8 days). */
const MAX_TIMER_S = 86_400;

/**
 * A `--<flag> <seconds>` value in milliseconds: a number of seconds, at least 1 ms (less would round
 * to no time: a busy poll), at most 24 h when it sets a timer (beyond that a Node timer overflows
 * and fires at once, so a poll would spin).
 */
export function parseSeconds(
  text: string | undefined,
  flag: string,
  options: { fallbackMs: number; bounded?: boolean },
): number;
export function parseSeconds(
  text: string | undefined,
  flag: string,
  options?: { bounded?: boolean },
): number | undefined;
export function parseSeconds(
  text: string | undefined,
  flag: string,
  options: { fallbackMs?: number; bounded?: boolean } = {},
): number | undefined {
  if (text === undefined) return options.fallbackMs;
  const seconds = Number(text);
  if (text.trim() === "" || !Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`${flag} must be a positive number of seconds, not \`${text}\``);
  if (options.bounded !== false && seconds > MAX_TIMER_S)
    throw new UsageError(`${flag} must be at most ${MAX_TIMER_S} seconds (24 h), not \`${text}\``);
  // under 1 ms it would round to 0: a poll or a timeout of no time at all
  if (seconds < 0.001) throw new UsageError(`${flag} must be at least 0.001 seconds (1 ms), not \`${text}\``);
  return Math.round(seconds * 1000);
}

/** A client for the configured API (`loaded`: the configuration already read); a missing key is a usage error that says how to set one. */
export async function openRemote(io: CliIo, flags: RemoteFlags, loaded?: FlowConfig): Promise<Remote> {
  const config = loaded ?? (await readConfig(io, flags));
  if (config.apiKey === undefined) {
    throw new UsageError(
      "no API key: run `flow init --api-key fkey_…`, or set FLOW_API_KEY (see `flow init --help`)",
    );
  }
  if (config.source.apiKey?.endsWith("credentials.yaml") && (await credentialsTooOpen(config.source.apiKey)))
    io.stderr(`flow: warning: ${config.source.apiKey} can be read by other users: run \`chmod 600\` on it\n`);
  const timeoutMs = parseSeconds(flags.timeout, "--timeout");
  const { createClient } = await import("../../api/client.ts");
  const { client, close } = await createClient({
    baseUrl: config.apiUrl,
    apiKey: config.apiKey,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    onEvent: (event) => {
      // on a terminal, say why nothing seems to happen while the client waits to retry
      if (event.type === "retry" && io.stderrIsTTY)
        io.stderr(
          `flow: ${event.what}: ${event.error.status ?? event.error.kind}; trying again in ${(event.delayMs / 1000).toFixed(1)} s (retry ${event.attempt})\n`,
        );
      // always: a listing cut at the page cap is incomplete
      if (event.type === "truncated")
        io.stderr(
          `flow: warning: ${event.what}: stopped after ${countText(event.records)} records (the page cap); the list is incomplete\n`,
        );
    },
  });
  let projectFid: Promise<string> | undefined;
  const project = () => {
    projectFid ??= (async () => {
      if (config.project !== undefined) {
        if (/^proj_[A-Za-z0-9]+$/.test(config.project)) return config.project;
        return (await client.resolveProject(config.project)).fid;
      }
      const projects = await client.listProjects();
      if (projects.length === 1) return projects[0]!.fid;
      throw new UsageError(
        projects.length === 0
          ? "this API key sees no project"
          : `this API key sees ${projects.length} projects: choose one with --project or FLOW_PROJECT (${projects.map((p) => `${p.name} = ${p.fid}`).join(", ")})`,
      );
    })();
    return projectFid;
  };
  return { config, client, project, close };
}

/** Prints an API error as `flow: <message>` plus `help:` lines. */
export function reportApiError(io: CliIo, error: ApiError): void {
  io.stderr(`flow: ${error.message}\n`);
  for (const s of error.suggestions) io.stderr(`  = help: ${s}\n`);
}

/**
 * Runs a remote command: opens the client, runs `body`, closes the client; an ApiError becomes
 * its message and suggestions on stderr and exit code 3.
 */
export async function withRemote(
  io: CliIo,
  flags: RemoteFlags,
  body: (remote: Remote) => Promise<number>,
): Promise<number> {
  const remote = await openRemote(io, flags);
  try {
    return await body(remote);
  } catch (error) {
    if (error instanceof ApiError) {
      reportApiError(io, error);
      return EXIT.remote;
    }
    throw error;
  } finally {
    await remote.close();
  }
}

/** `3 min`, `45 s`, `2 h 5 min`: a duration for people. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** The CLI's tables: the catalog's aligned-table format (a column is right-aligned when the caller says it holds numbers). */
export { alignedTable as table } from "../../backends/fcp/catalog/format.ts";

/**
 * The live catalog and the auctions behind it, from the API's two listings, validated (a
 * response that does not describe instance types is a ProtocolError).
 */
export async function liveCatalog(
  client: FcpClient,
): Promise<{ catalog: Catalog; auctions: AuctionModel[] }> {
  const [types, availability] = await Promise.all([client.listInstanceTypes(), client.listAvailability()]);
  const loaded = catalogFromData({ instance_types: types, availability }, `live: ${client.baseUrl}`);
  if (!loaded.ok) {
    throw new ProtocolError(`the API's instance types or availability cannot be read: ${loaded.message}`);
  }
  return { catalog: loaded.catalog, auctions: availability as AuctionModel[] };
}
