/**
 * A real OpenSSH server on loopback for tests: its own host key, one authorized client key, a free
 * port, logins as the current user only. Needs Debian's openssh-server (`.ci/run` installs it).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

export interface Sshd {
  readonly port: number;
  readonly user: string;
  /** Private key the server accepts. */
  readonly identity: string;
  /** ssh -o options for tests: a private known_hosts file. */
  readonly options: readonly string[];
  readonly dir: string;
  stop(): Promise<void>;
}

const SSHD = ["/usr/sbin/sshd", "/usr/bin/sshd"].find((p) => existsSync(p));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

export async function startSshd(): Promise<Sshd> {
  if (!SSHD) throw new Error("sshd is not installed: apt-get install -y openssh-server (.ci/run does)");
  const dir = mkdtempSync(join(tmpdir(), "flow-sshd-"));
  const keygen = (file: string) => execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
  keygen(join(dir, "host_key"));
  keygen(join(dir, "client_key"));
  writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client_key.pub")));
  const port = await freePort();
  const user = userInfo().username;
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `HostKey ${join(dir, "host_key")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "ListenAddress 127.0.0.1",
      `Port ${port}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "PermitRootLogin prohibit-password",
      `AllowUsers ${user}`,
      "PidFile none",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  let log = "";
  const child = spawn(SSHD, ["-D", "-e", "-f", join(dir, "sshd_config")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.setEncoding("utf8").on("data", (t: string) => {
    log += t;
  });
  await waitForPort(port, child, () => log);
  return {
    port,
    user,
    identity: join(dir, "client_key"),
    options: [`UserKnownHostsFile=${join(dir, "known_hosts")}`, "LogLevel=ERROR"],
    dir,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
