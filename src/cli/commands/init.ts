/**
 * `flow init`: writes the settings (`config.yaml`: API URL, project, SSH defaults) and, apart,
 * the API key (`credentials.yaml`, mode 0600). Into `~/.flow` by default, `./.flow` with
 * `--local` (the key still goes to `~/.flow` unless `--local-credentials`). Asks for missing values
 * only when standard input and standard error are terminals; otherwise takes flags only.
 * `--api-key -` reads the key from standard input (it then stays out of `ps` and the shell history).
 */

import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import {
  ConfigError,
  type ConfigFile,
  checkApiUrl,
  readConfigForUpdate,
  readCredentialsKey,
  userConfigDir,
  writeConfigFile,
  writeCredentialsFile,
} from "../../config/config.ts";
import { type CliIo, EXIT, UsageError } from "../io.ts";

export interface InitFlags {
  apiKey?: string;
  apiUrl?: string;
  project?: string;
  sshUser?: string;
  sshIdentity?: string;
  local?: boolean;
  localCredentials?: boolean;
}

/** Asks on the terminal; with `secret`, what is typed is not echoed (the API key). */
async function ask(question: string, secret = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    if (!secret) return (await rl.question(question)).trim();
    process.stderr.write(question);
    muted = true;
    const answer = await rl.question("");
    muted = false;
    process.stderr.write("\n");
    return answer.trim();
  } finally {
    rl.close();
  }
}

export async function initCommand(io: CliIo, flags: InitFlags): Promise<number> {
  const interactive = io.stderrIsTTY && process.stdin.isTTY === true;
  const home = userConfigDir(io.env);
  const settingsDir = flags.local ? resolve(io.cwd, ".flow") : home;
  const credentialsDir = flags.localCredentials ? resolve(io.cwd, ".flow") : home;
  if (settingsDir === undefined || credentialsDir === undefined)
    throw new UsageError("HOME is not set: use --local (and --local-credentials) to write ./.flow instead");

  // an empty setting would be written, then refused by every later command
  for (const [flag, value] of [
    ["--api-key", flags.apiKey],
    ["--api-url", flags.apiUrl],
    ["--project", flags.project],
    ["--ssh-user", flags.sshUser],
    ["--ssh-identity", flags.sshIdentity],
  ] as const)
    if (value !== undefined && value.trim() === "") throw new UsageError(`${flag} must not be empty`);
  const previous = await readConfigForUpdate(resolve(settingsDir, "config.yaml"));
  let apiKey = flags.apiKey;
  if (apiKey === "-") {
    // `--api-key -`: the key from standard input, so it never shows in the process list or history
    apiKey = (await io.readStdin()).trim();
    if (apiKey === "") throw new UsageError("--api-key -: standard input is empty (pipe the key in)");
  }
  // A key written into config.yaml by hand moves to credentials.yaml — unless a new one is given,
  // or credentials.yaml already holds one (the key flow uses: the one in config.yaml, which every
  // command refuses, is a leftover that must not replace it). Either way config.yaml loses it.
  const credentialsPath = resolve(credentialsDir, "credentials.yaml");
  const moved =
    previous.apiKey !== undefined &&
    apiKey === undefined &&
    (await readCredentialsKey(credentialsPath)) === undefined;
  if (moved) apiKey = previous.apiKey;
  let project = flags.project;
  if (interactive) {
    apiKey ??=
      (await ask("FCP API key (fkey_…, not shown; empty keeps the current one): ", true)) || undefined;
    project ??= (await ask("project (name or proj_… FID, empty for none): ")) || undefined;
  }
  if (apiKey !== undefined && !/^\S+$/.test(apiKey))
    throw new UsageError("--api-key must not contain spaces");
  if (
    apiKey === undefined &&
    previous.apiKey === undefined &&
    flags.apiUrl === undefined &&
    project === undefined &&
    !flags.sshUser &&
    !flags.sshIdentity
  )
    throw new UsageError(
      "nothing to write: pass --api-key (and --project, --api-url …), or run on a terminal to be asked",
    );

  // What every later command would refuse is refused now (config.ts `checkKeyDestination`): a URL
  // that carries the key in plain text, or one written apart from the key it would receive.
  if (flags.apiUrl !== undefined) {
    try {
      checkApiUrl(flags.apiUrl, "--api-url");
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
    if (settingsDir !== credentialsDir)
      throw new UsageError(
        `--api-url would be written to ${resolve(settingsDir, "config.yaml")} and the key kept in ${resolve(credentialsDir, "credentials.yaml")}: flow sends a key only to a URL set next to it — add --local-credentials, or drop --local`,
      );
  }

  const settings: ConfigFile = {
    ...previous.settings,
    ...(flags.apiUrl !== undefined ? { api_url: flags.apiUrl } : {}),
    ...(project !== undefined ? { project } : {}),
    ...(flags.sshUser !== undefined ? { ssh_user: flags.sshUser } : {}),
    ...(flags.sshIdentity !== undefined ? { ssh_identity: flags.sshIdentity } : {}),
  };
  // the key first: if writing it fails, config.yaml (which may still hold it) is left as it was
  const written: string[] = [];
  if (apiKey !== undefined) written.push(`${await writeCredentialsFile(credentialsDir, apiKey)} (mode 0600)`);
  written.unshift(await writeConfigFile(settingsDir, settings));
  io.stdout(`wrote ${written.join(" and ")}\n`);
  if (previous.apiKey !== undefined && !moved)
    io.stderr(
      `flow: removed the api_key written in ${resolve(settingsDir, "config.yaml")}: ${apiKey !== undefined ? "replaced by the key given" : `${credentialsPath} already holds a key, which is kept`}\n`,
    );
  return EXIT.ok;
}
