/**
 * SSH to an instance: the command line (`ssh -p PORT user@host`) built from `ssh_destination`, and
 * the code upload after boot. The upload streams the archive on ssh's standard input into
 * `<path>.part` and renames it to `<path>` in one remote command, so the startup script, which waits
 * for `<path>`, never sees a partial archive:
 *
 *   ssh … 'mkdir -p DIR && cat > PATH.part && mv PATH.part PATH'
 *
 * Every remote word goes through single quotes; nothing here reads or sends the API key.
 */
import { spawn } from "node:child_process";
import { dirname } from "node:path/posix";
import { shellQuote } from "../backends/fcp/script/quote.ts";
import { parseSshDestination } from "./models.ts";

export interface SshTarget {
  /** `host` or `host:port` as the API reports it. */
  readonly destination: string;
  /** Login user (the platform's is `ubuntu`). */
  readonly user: string;
  /** Private key file (`-i`). */
  readonly identity?: string;
  /** Extra `-o` options (`UserKnownHostsFile=/dev/null`). */
  readonly options?: readonly string[];
  /**
   * The name the host key is stored and checked under (`-o HostKeyAlias`): the instance FID, so a
   * spot IP reused by another instance (another host key) is not a "changed host key" failure.
   */
  readonly hostKeyAlias?: string;
}

/**
 * The ssh arguments (after `ssh`) for a target. New instances are new hosts: their key is accepted
 * on first use (`StrictHostKeyChecking=accept-new`) and checked after that, under the instance's
 * FID (`HostKeyAlias`) rather than its IP, which the next spot instance may reuse; BatchMode when no
 * terminal is wanted, so a missing key fails instead of prompting.
 */
export function sshArgs(target: SshTarget, options: { batch?: boolean } = {}): string[] {
  const { host, port } = parseSshDestination(target.destination);
  return [
    "-p",
    String(port),
    "-o",
    "StrictHostKeyChecking=accept-new",
    ...(target.hostKeyAlias ? ["-o", `HostKeyAlias=${target.hostKeyAlias}`] : []),
    ...(options.batch ? ["-o", "BatchMode=yes"] : []),
    ...(target.identity ? ["-i", target.identity] : []),
    ...(target.options ?? []).flatMap((o) => ["-o", o]),
    `${target.user}@${host}`,
  ];
}

/**
 * The remote command that writes stdin to `path` atomically (via `path.part`). The startup script
 * waits in a root-owned directory (`/var/lib/flow/upload`) and the login is usually `ubuntu`, so
 * the write runs as root: directly when the login is root, else through `sudo -n` (the platform's
 * images give the login passwordless sudo; without it the upload fails at once instead of hanging).
 */
export function uploadCommand(path: string): string {
  const q = shellQuote;
  const write = `mkdir -p ${q(dirname(path))} && cat > ${q(`${path}.part`)} && mv ${q(`${path}.part`)} ${q(path)}`;
  return `if [ "$(id -u)" = 0 ]; then sh -c ${q(write)}; else sudo -n sh -c ${q(write)}; fi`;
}

export interface UploadResult {
  readonly code: number;
  readonly stderr: string;
}

/** Streams `archive` to `path` on the target; resolves with ssh's exit code (0 = written and renamed). */
export function uploadArchive(
  target: SshTarget,
  archive: Buffer,
  path: string,
  options: { sshBinary?: string; timeoutMs?: number } = {},
): Promise<UploadResult> {
  return new Promise((resolve) => {
    const child = spawn(
      options.sshBinary ?? "ssh",
      [...sshArgs(target, { batch: true }), uploadCommand(path)],
      {
        stdio: ["pipe", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs ?? 600_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: 255, stderr: `cannot run ssh: ${error.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 255, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(archive);
  });
}
