/** Configuration precedence (flags > FLOW_* > ./.flow > ~/.flow), the credentials file, and `flow init`. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { DEFAULT_API_URL, loadConfig } from "../../src/config/config.ts";
import { runCli } from "../helpers/cli.ts";

function dirs(): { home: string; cwd: string } {
  const home = mkdtempSync(join(tmpdir(), "flow-cfg-home-"));
  const cwd = mkdtempSync(join(tmpdir(), "flow-cfg-cwd-"));
  return { home, cwd };
}

function write(path: string, text: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

describe("loadConfig", () => {
  test("defaults: the FCP base URL, no key, no project", async () => {
    const { home, cwd } = dirs();
    const c = await loadConfig({ HOME: home }, cwd);
    expect(c).toMatchObject({ apiUrl: DEFAULT_API_URL, apiKey: undefined, project: undefined });
    expect(c.source.apiUrl).toBe("default");
  });

  test("precedence: flags > FLOW_* > ./.flow > ~/.flow, each value on its own", async () => {
    const { home, cwd } = dirs();
    write(
      join(home, ".flow", "config.yaml"),
      "api_url: https://home.example\nproject: home-project\nssh_user: homeuser\n",
    );
    write(join(home, ".flow", "credentials.yaml"), "api_key: fkey_home\n");
    write(join(cwd, ".flow", "config.yaml"), "project: local-project\n");
    let c = await loadConfig({ HOME: home }, cwd);
    expect(c).toMatchObject({
      apiUrl: "https://home.example",
      project: "local-project",
      apiKey: "fkey_home",
      sshUser: "homeuser",
    });
    expect(c.source).toEqual({
      apiUrl: join(home, ".flow", "config.yaml"),
      project: join(cwd, ".flow", "config.yaml"),
      apiKey: join(home, ".flow", "credentials.yaml"),
    });
    const env = {
      HOME: home,
      FLOW_API_URL: "https://env.example",
      FLOW_API_KEY: "fkey_env",
      FLOW_PROJECT: "env-project",
    };
    c = await loadConfig(env, cwd);
    expect(c).toMatchObject({ apiUrl: "https://env.example", apiKey: "fkey_env", project: "env-project" });
    c = await loadConfig(env, cwd, {
      apiUrl: "https://flag.example",
      project: "flag-project",
      apiKey: "fkey_flag",
    });
    expect(c).toMatchObject({ apiUrl: "https://flag.example", apiKey: "fkey_flag", project: "flag-project" });
    expect(c.source).toEqual({ apiUrl: "--api-url", apiKey: "--api-key", project: "--project" });
    // an empty variable counts as unset
    c = await loadConfig({ ...env, FLOW_API_KEY: "" }, cwd);
    expect(c.apiKey).toBe("fkey_home");
  });

  test("a key in config.yaml, unknown settings and bad YAML are refused with the file's name", async () => {
    const { home, cwd } = dirs();
    write(join(cwd, ".flow", "config.yaml"), "api_key: fkey_x\n");
    await expect(loadConfig({ HOME: home }, cwd)).rejects.toThrow(
      /holds `api_key`: keys belong in credentials.yaml/,
    );
    write(join(cwd, ".flow", "config.yaml"), "projcet: x\n");
    await expect(loadConfig({ HOME: home }, cwd)).rejects.toThrow(/unknown setting `projcet`/);
    write(join(cwd, ".flow", "config.yaml"), "project: [\n");
    await expect(loadConfig({ HOME: home }, cwd)).rejects.toThrow(/config\.yaml:\d+:\d+` is not valid YAML/);
  });
});

describe("flow init", () => {
  test("refuses an --api-url every later command would refuse: plain http, or written apart from the key", async () => {
    const { home, cwd } = dirs();
    const init = (...argv: string[]) =>
      runCli(["init", "--api-key", "fkey_abc", ...argv], { cwd, env: { HOME: home } });
    const plain = await init("--api-url", "http://api.example.com");
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain("plain text");
    const apart = await init("--local", "--api-url", "https://staging.example.com");
    expect(apart.code).toBe(2);
    expect(apart.stderr).toContain("--local-credentials");
    // the same with the key beside it works, and the configuration then loads
    const beside = await init("--local", "--local-credentials", "--api-url", "https://staging.example.com");
    expect(beside.code, beside.stderr).toBe(0);
    await expect(loadConfig({ HOME: home }, cwd)).resolves.toMatchObject({
      apiUrl: "https://staging.example.com",
    });
    expect((await init("--api-url", "http://localhost:8080")).code).toBe(0);
  });

  test("writes settings and a 0600 credentials file under HOME; commands then use them", async () => {
    const { home, cwd } = dirs();
    const r = await runCli(
      ["init", "--api-key", "fkey_SECRET123", "--project", "proj_abc", "--api-url", "https://x.example"],
      {
        cwd,
        env: { HOME: home },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("fkey_SECRET123");
    const credentials = join(home, ".flow", "credentials.yaml");
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    expect(readFileSync(credentials, "utf8")).toContain('api_key: "fkey_SECRET123"');
    const settings = readFileSync(join(home, ".flow", "config.yaml"), "utf8");
    expect(settings).not.toContain("fkey_");
    expect(settings).toContain('project: "proj_abc"');
    const c = await loadConfig({ HOME: home }, cwd);
    expect(c).toMatchObject({ apiUrl: "https://x.example", apiKey: "fkey_SECRET123", project: "proj_abc" });
  });

  test("an existing, world-readable credentials file is narrowed to 0600", async () => {
    const { home, cwd } = dirs();
    write(join(home, ".flow", "credentials.yaml"), "api_key: old\n");
    const { chmodSync } = await import("node:fs");
    chmodSync(join(home, ".flow", "credentials.yaml"), 0o644);
    expect((await runCli(["init", "--api-key", "fkey_new"], { cwd, env: { HOME: home } })).code).toBe(0);
    expect(statSync(join(home, ".flow", "credentials.yaml")).mode & 0o777).toBe(0o600);
  });

  test("--api-key - reads the key from standard input", async () => {
    const { home, cwd } = dirs();
    const r = await runCli(["init", "--api-key", "-"], {
      cwd,
      env: { HOME: home },
      stdin: "fkey_FROMSTDIN\n",
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(home, ".flow", "credentials.yaml"), "utf8")).toContain(
      'api_key: "fkey_FROMSTDIN"',
    );
    const empty = await runCli(["init", "--api-key", "-"], { cwd, env: { HOME: home }, stdin: "" });
    expect(empty.code).toBe(2);
  });

  test("the credentials file is replaced atomically: a symlink at its place is not followed", async () => {
    const { home, cwd } = dirs();
    const { symlinkSync, lstatSync, readdirSync } = await import("node:fs");
    const elsewhere = join(cwd, "victim.txt");
    writeFileSync(elsewhere, "do not touch\n");
    mkdirSync(join(home, ".flow"), { recursive: true });
    symlinkSync(elsewhere, join(home, ".flow", "credentials.yaml"));
    expect((await runCli(["init", "--api-key", "fkey_new"], { cwd, env: { HOME: home } })).code).toBe(0);
    expect(readFileSync(elsewhere, "utf8")).toBe("do not touch\n");
    const credentials = join(home, ".flow", "credentials.yaml");
    expect(lstatSync(credentials).isSymbolicLink()).toBe(false);
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    expect(readFileSync(credentials, "utf8")).toContain('api_key: "fkey_new"');
    expect(readdirSync(join(home, ".flow")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  test("--local writes ./.flow/config.yaml and keeps earlier settings", async () => {
    const { home, cwd } = dirs();
    await runCli(["init", "--local", "--project", "p1"], { cwd, env: { HOME: home } });
    await runCli(["init", "--local", "--ssh-user", "me"], { cwd, env: { HOME: home } });
    const text = readFileSync(join(cwd, ".flow", "config.yaml"), "utf8");
    expect(text).toContain('project: "p1"');
    expect(text).toContain('ssh_user: "me"');
  });

  test("a key written into config.yaml by hand is moved to credentials.yaml, the settings kept", async () => {
    const { home, cwd } = dirs();
    write(join(home, ".flow", "config.yaml"), "api_key: fkey_HANDWRITTEN1\nproject: proj_abc\n");
    const refused = await runCli(["status"], { cwd, env: { HOME: home } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("run `flow init` to move it");
    const r = await runCli(["init", "--ssh-user", "me"], { cwd, env: { HOME: home } });
    expect(r.code, r.stderr).toBe(0);
    const settings = readFileSync(join(home, ".flow", "config.yaml"), "utf8");
    expect(settings).not.toContain("fkey_");
    expect(settings).toContain('project: "proj_abc"');
    expect(settings).toContain('ssh_user: "me"');
    const config = await loadConfig({ HOME: home }, cwd);
    expect(config.apiKey).toBe("fkey_HANDWRITTEN1");
    expect(config.project).toBe("proj_abc");
    expect(statSync(join(home, ".flow", "credentials.yaml")).mode & 0o777).toBe(0o600);
  });

  test("a stale key in config.yaml never replaces the one credentials.yaml holds: it is removed, and said", async () => {
    const { home, cwd } = dirs();
    write(join(home, ".flow", "config.yaml"), "api_key: fkey_STALE0001\nproject: proj_abc\n");
    write(join(home, ".flow", "credentials.yaml"), "api_key: fkey_WORKING01\n");
    const r = await runCli(["init", "--ssh-user", "me"], { cwd, env: { HOME: home } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("removed the api_key written in");
    expect(r.stderr).toContain("already holds a key, which is kept");
    expect(r.stdout + r.stderr).not.toContain("fkey_");
    const settings = readFileSync(join(home, ".flow", "config.yaml"), "utf8");
    expect(settings).not.toContain("fkey_");
    expect(settings).toContain('project: "proj_abc"');
    expect((await loadConfig({ HOME: home }, cwd)).apiKey).toBe("fkey_WORKING01");
    // with nothing else to write, removing the stale key is still something to do
    write(join(home, ".flow", "config.yaml"), "api_key: fkey_STALE0002\n");
    const clean = await runCli(["init"], { cwd, env: { HOME: home } });
    expect(clean.code, clean.stderr).toBe(0);
    expect(readFileSync(join(home, ".flow", "config.yaml"), "utf8")).not.toContain("fkey_");
    expect((await loadConfig({ HOME: home }, cwd)).apiKey).toBe("fkey_WORKING01");
  });

  test("the key is written before config.yaml loses it: a failed write of credentials.yaml loses no key", async () => {
    const { home, cwd } = dirs();
    write(join(home, ".flow", "config.yaml"), "api_key: fkey_HANDWRITTEN2\nproject: proj_abc\n");
    // credentials.yaml cannot be written: a directory stands in its place
    mkdirSync(join(home, ".flow", "credentials.yaml", "x"), { recursive: true });
    const r = await runCli(["init", "--ssh-user", "me"], { cwd, env: { HOME: home } });
    expect(r.code).not.toBe(0);
    expect(readFileSync(join(home, ".flow", "config.yaml"), "utf8")).toContain("fkey_HANDWRITTEN2");
  });

  test("an empty value is refused, not written where every later command would refuse it", async () => {
    const { home, cwd } = dirs();
    for (const flag of ["--api-key", "--api-url", "--project", "--ssh-user", "--ssh-identity"]) {
      const r = await runCli(["init", flag, ""], { cwd, env: { HOME: home } });
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toContain(`${flag} must not be empty`);
    }
    expect(existsSync(join(home, ".flow", "config.yaml"))).toBe(false);
  });

  test("without a terminal and without flags there is nothing to write: usage error", async () => {
    const { home, cwd } = dirs();
    const r = await runCli(["init"], { cwd, env: { HOME: home } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nothing to write");
  });

  test("a remote command without any key says how to configure one", async () => {
    const { home, cwd } = dirs();
    const r = await runCli(["status"], { cwd, env: { HOME: home } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no API key: run `flow init --api-key fkey_…`, or set FLOW_API_KEY");
  });

  test("the key goes only where the user chose: not to a URL a project's config sets for a key kept elsewhere", async () => {
    const { home, cwd } = dirs();
    write(join(home, ".flow", "credentials.yaml"), "api_key: fkey_home\n");
    write(join(cwd, ".flow", "config.yaml"), "api_url: https://collector.example\n");
    await expect(loadConfig({ HOME: home }, cwd)).rejects.toThrow(
      /sets api_url `https:\/\/collector\.example`, but the API key comes from .*credentials\.yaml/,
    );
    await expect(loadConfig({ HOME: home, FLOW_API_KEY: "fkey_env" }, cwd)).rejects.toThrow(/FLOW_API_KEY/);
    // confirmed by a flag or FLOW_API_URL, or kept next to the key: accepted
    const flagged = await loadConfig({ HOME: home }, cwd, { apiUrl: "https://collector.example" });
    expect(flagged.apiUrl).toBe("https://collector.example");
    write(join(cwd, ".flow", "credentials.yaml"), "api_key: fkey_local\n");
    const local = await loadConfig({ HOME: home }, cwd);
    expect(local).toMatchObject({ apiUrl: "https://collector.example", apiKey: "fkey_local" });
  });

  test("plain HTTP only to loopback (the local emulator)", async () => {
    const { home, cwd } = dirs();
    const env = { HOME: home, FLOW_API_KEY: "fkey_x" };
    await expect(loadConfig({ ...env, FLOW_API_URL: "http://api.example" }, cwd)).rejects.toThrow(
      /plain text; use https:\/\//,
    );
    for (const url of ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"])
      expect((await loadConfig({ ...env, FLOW_API_URL: url }, cwd)).apiUrl).toBe(url);
  });
});
