/**
 * `flow ssh <task> [-- command…]`: finds the task's instance (`--node N` of a multi-node task) and
 * runs ssh to its `ssh_destination` (`host` or `host:port`), as `ubuntu` unless `--user` or the
 * `ssh_user` setting says otherwise. `--print` prints the command instead. With a remote command
 * its output is relayed and its exit status returned; without one ssh takes over the terminal.
 */
import { spawn } from "node:child_process";
import { ApiError } from "../../api/errors.ts";
import { type SshTarget, sshArgs } from "../../api/ssh.ts";
import { shellQuote } from "../../backends/fcp/script/quote.ts";
import { redactText } from "../../diagnostics/render.ts";
import { type CliIo, EXIT, UsageError } from "../io.ts";
import { configSecrets, type RemoteFlags, withRemote } from "./remote.ts";
import { findTasks } from "./status.ts";

export interface SshFlags extends RemoteFlags {
  print?: boolean;
  node?: string;
  user?: string;
  identity?: string;
  option?: string[];
}

export async function sshCommand(
  io: CliIo,
  query: string,
  command: readonly string[],
  flags: SshFlags,
): Promise<number> {
  const node = flags.node === undefined ? 0 : /^\d{1,9}$/.test(flags.node) ? Number(flags.node) : -1;
  if (node < 0) throw new UsageError(`--node must be a whole number, not \`${flags.node}\``);
  return withRemote(io, flags, async ({ client, project: projectOf, config }) => {
    // what the remote command prints is relayed with the API key masked, as every flow output
    const secrets = configSecrets(io.env, config);
    const project = await projectOf();
    const bids = (await findTasks(client, project, query)).filter((b) => b.status !== "Terminated");
    if (bids.length === 0)
      throw new ApiError("not-found", `task \`${query}\` is terminated`, {
        suggestions: ["`flow status` lists the live tasks"],
      });
    if (bids.length > 1)
      throw new UsageError(
        `\`${query}\` names ${bids.length} tasks (${bids.map((b) => b.name).join(", ")}): give one of their names`,
      );
    const bid = bids[0]!;
    const instances = (await client.listInstances({ project, bidFids: [bid.fid] }))
      .filter((i) => i.bid === bid.fid && bid.instances.includes(i.fid))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const instance = instances[node];
    if (!instance?.ssh_destination) {
      const why = instance
        ? `its instance is ${instance.status}`
        : bid.status === "Open"
          ? "it has not won the auction yet"
          : `it has ${instances.length} instance(s)`;
      throw new ApiError("not-found", `task \`${bid.name}\` has no SSH address yet: ${why}`, {
        suggestions: [`\`flow status --watch ${bid.name}\` shows when it runs`],
      });
    }
    const identity = flags.identity ?? config.sshIdentity;
    const target: SshTarget = {
      destination: instance.ssh_destination,
      user: flags.user ?? config.sshUser ?? "ubuntu",
      ...(identity ? { identity } : {}),
      options: flags.option ?? [],
      hostKeyAlias: instance.fid,
    };
    const args = [...sshArgs(target), ...command];
    if (flags.print) {
      io.stdout(`${["ssh", ...args].map(shellQuote).join(" ")}\n`);
      return EXIT.ok;
    }
    return new Promise<number>((resolve) => {
      const interactive = command.length === 0;
      const child = spawn("ssh", args, { stdio: interactive ? "inherit" : ["ignore", "pipe", "pipe"] });
      const out = redactingStream(io.stdout, secrets);
      const err = redactingStream(io.stderr, secrets);
      if (!interactive) {
        child.stdout?.setEncoding("utf8").on("data", out.write);
        child.stderr?.setEncoding("utf8").on("data", err.write);
      }
      child.on("error", (error) => {
        io.stderr(`flow: cannot run ssh: ${error.message}\n`);
        resolve(EXIT.remote);
      });
      child.on("close", (code) => {
        out.end();
        err.end();
        resolve(code === 255 ? EXIT.remote : (code ?? EXIT.remote));
      });
    });
  });
}

/**
 * A writer that masks `secrets` in a stream of chunks: a secret split across two chunks is masked
 * too, since the last (longest secret − 1) characters are held back until more text or `end`.
 */
export function redactingStream(
  write: (text: string) => void,
  secrets: readonly string[],
): { write: (text: string) => void; end: () => void } {
  const hold = Math.max(0, ...secrets.map((s) => s.length - 1));
  let pending = "";
  return {
    write(text) {
      const masked = redactText(pending + text, secrets);
      let cut = Math.max(0, masked.length - hold);
      // never between the halves of a surrogate pair (each half alone would print as U+FFFD)
      if (cut > 0 && /[\uD800-\uDBFF]/.test(masked[cut - 1]!)) cut--;
      pending = masked.slice(cut);
      if (cut > 0) write(masked.slice(0, cut));
    },
    end() {
      if (pending !== "") write(redactText(pending, secrets));
      pending = "";
    },
  };
}
