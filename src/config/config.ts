/**
 * Where the CLI finds the FCP API: base URL, API key and project. Precedence, highest first:
 * command-line flags > `FLOW_*` environment (`FLOW_API_URL`, `FLOW_API_KEY`, `FLOW_PROJECT`, the
 * names the Python Flow SDK uses) > `./.flow/config.yaml` (the project folder) >
 * `~/.flow/config.yaml` (the user; home from the injected `HOME`).
 *
 * The API key lives apart from the settings, in a credentials file (`~/.flow/credentials.yaml`, or
 * `./.flow/credentials.yaml`) that `flow init` creates with mode 0600; a `config.yaml` holding a key
 * is refused, so settings files can be shared or committed. Nothing here prints the key: `source`
 * names where each value came from, never the value.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { CONFIG_FILES, configDirs } from "./dirs.ts";

/** The base URL when nothing else is configured (fcp-api.md §2). */
export const DEFAULT_API_URL = "https://api.mlfoundry.com";

/** A settings file (`config.yaml`): no secrets. */
export interface ConfigFile {
  api_url?: string;
  project?: string;
  /** Default SSH login user for `flow ssh` and code upload (the platform's is `ubuntu`). */
  ssh_user?: string;
  /** Default private key for `flow ssh` and code upload. */
  ssh_identity?: string;
}

const SETTINGS_KEYS = ["api_url", "project", "ssh_user", "ssh_identity"] as const;

/** A credentials file (`credentials.yaml`). */
export interface CredentialsFile {
  api_key?: string;
}

/** The resolved configuration and where each value came from (`--api-url`, `FLOW_API_KEY`, a path). */
export interface FlowConfig {
  readonly apiUrl: string;
  readonly apiKey: string | undefined;
  readonly project: string | undefined;
  readonly sshUser: string | undefined;
  readonly sshIdentity: string | undefined;
  readonly source: {
    readonly apiUrl: string;
    readonly apiKey: string | undefined;
    readonly project: string | undefined;
  };
}

/** A configuration problem (unreadable or malformed file): the CLI reports it as a usage error. */
export class ConfigError extends Error {}

/** The flags that override configuration. */
export interface ConfigFlags {
  apiUrl?: string;
  apiKey?: string;
  project?: string;
}

/** The user's folder (`~/.flow`), or undefined when `HOME` is not set. */
export function userConfigDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env.HOME ? resolve(env.HOME, ".flow") : undefined;
}

async function readYamlFile(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new ConfigError(`cannot read \`${path}\`: ${code ?? "error"}`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    const line = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new ConfigError(
      `\`${path}${line ? `:${line.line}:${line.col}` : ""}\` is not valid YAML: ${(error as Error).message.split("\n")[0]}`,
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data))
    throw new ConfigError(`\`${path}\` must be a mapping of settings (key: value)`);
  return data as Record<string, unknown>;
}

function stringField(data: Record<string, unknown>, key: string, path: string): string | undefined {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "")
    throw new ConfigError(`\`${path}\`: \`${key}\` must be a non-empty string`);
  return value;
}

/** Reads and checks one `config.yaml`; undefined when it does not exist. */
async function readConfigFile(path: string): Promise<ConfigFile | undefined> {
  const data = await readYamlFile(path);
  if (data === undefined) return undefined;
  if ("api_key" in data)
    throw new ConfigError(
      `\`${path}\` holds \`api_key\`: keys belong in credentials.yaml (mode 0600); run \`flow init\` to move it`,
    );
  const unknown = Object.keys(data).filter((k) => !(SETTINGS_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0)
    throw new ConfigError(
      `\`${path}\`: unknown setting${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `\`${k}\``).join(", ")} (known: ${SETTINGS_KEYS.join(", ")})`,
    );
  const out: ConfigFile = {};
  for (const key of SETTINGS_KEYS) {
    const value = stringField(data, key, path);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * What `flow init` keeps of an existing `config.yaml`: its settings that are non-empty strings, and
 * an `api_key` written there by hand (which `flow init` moves to credentials.yaml, as the refusal
 * of such a file promises). A missing, unreadable or malformed file keeps nothing.
 */
export async function readConfigForUpdate(path: string): Promise<{ settings: ConfigFile; apiKey?: string }> {
  const data = await readYamlFile(path).catch(() => undefined);
  const settings: ConfigFile = {};
  if (data === undefined) return { settings };
  for (const key of SETTINGS_KEYS) {
    const value = data[key];
    if (typeof value === "string" && value !== "") settings[key] = value;
  }
  const key = data.api_key;
  return typeof key === "string" && key !== "" ? { settings, apiKey: key } : { settings };
}

/**
 * The key a `credentials.yaml` holds, for `flow init` (which must not replace a working key with a
 * stale one); undefined when the file is missing, unreadable, malformed or holds no key.
 */
export async function readCredentialsKey(path: string): Promise<string | undefined> {
  const key = (await readYamlFile(path).catch(() => undefined))?.api_key;
  return typeof key === "string" && key !== "" ? key : undefined;
}

/** Reads one `credentials.yaml`; undefined when it does not exist. */
async function readCredentialsFile(path: string): Promise<CredentialsFile | undefined> {
  const data = await readYamlFile(path);
  if (data === undefined) return undefined;
  const unknown = Object.keys(data).filter((k) => k !== "api_key");
  if (unknown.length > 0)
    throw new ConfigError(`\`${path}\`: unknown key${unknown.length > 1 ? "s" : ""} (only \`api_key\`)`);
  const key = stringField(data, "api_key", path);
  return key !== undefined ? { api_key: key } : {};
}

/**
 * Every API key the configuration files hold — each `credentials.yaml` and any `api_key` written by
 * hand into a `config.yaml` — in the folders configuration is read from (`./.flow`, `~/.flow`),
 * plus FLOW_API_KEY. Unlike `loadConfig` it checks no URL and refuses no file: it says what must
 * never be packed or printed, whatever else is wrong with the configuration. A file that cannot be
 * read or parsed holds no key that can be found, and is skipped.
 */
export async function configuredKeys(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<string[]> {
  const keys = new Set<string>();
  if (env.FLOW_API_KEY) keys.add(env.FLOW_API_KEY);
  for (const dir of configDirs(env, cwd)) {
    for (const name of CONFIG_FILES) {
      const data = await readYamlFile(join(dir, name)).catch(() => undefined);
      const key = data?.api_key;
      if (typeof key === "string" && key !== "") keys.add(key);
    }
  }
  return [...keys];
}

/**
 * Resolves the configuration: flags > FLOW_* environment > ./.flow > ~/.flow. Never reads the
 * network; throws ConfigError only for a malformed or unreadable file.
 */
export async function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  flags: ConfigFlags = {},
): Promise<FlowConfig> {
  interface Layer {
    readonly settings: ConfigFile;
    readonly settingsSource: Readonly<Record<keyof ConfigFile, string>> | string;
    readonly key: string | undefined;
    readonly keySource: string;
  }
  const nonEmpty = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);
  const layers: Layer[] = [
    {
      settings: {
        ...(flags.apiUrl ? { api_url: flags.apiUrl } : {}),
        ...(flags.project ? { project: flags.project } : {}),
      },
      settingsSource: { api_url: "--api-url", project: "--project", ssh_user: "", ssh_identity: "" },
      key: nonEmpty(flags.apiKey),
      keySource: "--api-key",
    },
    {
      settings: {
        ...(nonEmpty(env.FLOW_API_URL) ? { api_url: env.FLOW_API_URL } : {}),
        ...(nonEmpty(env.FLOW_PROJECT) ? { project: env.FLOW_PROJECT } : {}),
      },
      settingsSource: { api_url: "FLOW_API_URL", project: "FLOW_PROJECT", ssh_user: "", ssh_identity: "" },
      key: nonEmpty(env.FLOW_API_KEY),
      keySource: "FLOW_API_KEY",
    },
  ];
  for (const dir of configDirs(env, cwd)) {
    const settingsPath = join(dir, "config.yaml");
    const credentialsPath = join(dir, "credentials.yaml");
    layers.push({
      settings: (await readConfigFile(settingsPath)) ?? {},
      settingsSource: settingsPath,
      key: (await readCredentialsFile(credentialsPath))?.api_key,
      keySource: credentialsPath,
    });
  }
  const pick = <K extends keyof ConfigFile>(key: K) => {
    for (const layer of layers) {
      const value = layer.settings[key];
      if (value !== undefined) {
        const source =
          typeof layer.settingsSource === "string" ? layer.settingsSource : layer.settingsSource[key];
        return { value, source };
      }
    }
    return undefined;
  };
  const url = pick("api_url");
  const project = pick("project");
  const keyLayer = layers.find((layer) => layer.key !== undefined);
  const apiKey = keyLayer ? { value: keyLayer.key, source: keyLayer.keySource } : undefined;
  if (url !== undefined && keyLayer !== undefined) checkKeyDestination(url, keyLayer);
  return {
    apiUrl: url?.value ?? DEFAULT_API_URL,
    apiKey: apiKey?.value,
    project: project?.value,
    sshUser: pick("ssh_user")?.value,
    sshIdentity: pick("ssh_identity")?.value,
    source: {
      apiUrl: url?.source ?? "default",
      apiKey: apiKey?.source,
      project: project?.source,
    },
  };
}

/** Writes `config.yaml` into `dir` (created 0700 when new); keeps no secret. */
export async function writeConfigFile(dir: string, settings: ConfigFile): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, "config.yaml");
  const lines = ["# flow settings (see `flow init --help`); the API key is in credentials.yaml"];
  for (const key of SETTINGS_KEYS) {
    const value = settings[key];
    if (value !== undefined) lines.push(`${key}: ${JSON.stringify(value)}`);
  }
  await writeFile(path, `${lines.join("\n")}\n`, { mode: 0o644 });
  return path;
}

/**
 * Writes `credentials.yaml` into `dir` with mode 0600, atomically: the key goes into a new
 * temporary file created with mode 0600 (`wx`: never an existing file, never through a symlink),
 * which is then renamed over the target — a symlink at the target is replaced, not followed.
 */
export async function writeCredentialsFile(dir: string, apiKey: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, "credentials.yaml");
  const tmp = join(dir, `.credentials.yaml.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(
      tmp,
      `# flow API key: keep this file private (mode 0600)\napi_key: ${JSON.stringify(apiKey)}\n`,
      {
        mode: 0o600,
        flag: "wx",
      },
    );
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return path;
}

/** Whether a credentials file can be read by others than its owner (a warning, not an error). */
export async function credentialsTooOpen(path: string): Promise<boolean> {
  try {
    return ((await stat(path)).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

/** Loopback hosts, the only ones a key may be sent to over plain HTTP (the local emulator). */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** A URL the key may travel to: https, or plain http to loopback only; else a ConfigError. */
export function checkApiUrl(value: string, source: string): void {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${source}: \`${value}\` is not a URL`);
  }
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && LOOPBACK.test(parsed.hostname)))
    throw new ConfigError(
      `${source}: \`${value}\` would carry the API key in plain text; use https:// (http:// only to localhost)`,
    );
}

/**
 * The key goes only where the user chose: a URL from a flag or `FLOW_API_URL`, or one written in
 * the same place as the key — never one a shared project's `./.flow/config.yaml` sets for a key
 * kept elsewhere (a cloned repository could otherwise collect it). Plain HTTP only to loopback.
 */
function checkKeyDestination(url: { value: string; source: string }, keyLayer: { keySource: string }): void {
  checkApiUrl(url.value, url.source);
  const fromFile = url.source.endsWith("config.yaml");
  if (!fromFile) return;
  const sameDir =
    url.source.slice(0, -"config.yaml".length) === keyLayer.keySource.slice(0, -"credentials.yaml".length);
  if (!sameDir)
    throw new ConfigError(
      `${url.source} sets api_url \`${url.value}\`, but the API key comes from ${keyLayer.keySource}: flow sends a key only to the default URL, one given by --api-url or FLOW_API_URL, or one set next to the key; pass --api-url to confirm`,
    );
}
