/**
 * The `flow` command line: commander wiring only. Each command receives the injected io and
 * returns its exit code; usage problems exit 2 with one `flow: …` line; nothing here throws.
 */
import { Command, CommanderError, Option } from "commander";
import pkg from "../../package.json" with { type: "json" };
import { compileCommand } from "./commands/compile.ts";
import { instanceTypesCommand } from "./commands/instance-types.ts";
import { type CliIo, EXIT, UsageError } from "./io.ts";
import { collectSet } from "./slurm-options.ts";

/** The options that shape how a SLURM script is read and mapped. */
function withSlurmOptions(command: Command): Command {
  return command
    .option(
      "--set <name=value>",
      "fill a template placeholder ({{name}}, <name>, @name@, $name) in directives",
      collectSet,
    )
    .option(
      "--partition-map <file>",
      "JSON/YAML: partition → {instance_type, region, image, max_price_per_hour}",
    )
    .option("--module-map <file>", "JSON/YAML: module (cuda/12.1) → {image, setup}")
    .option("--image <image>", "container image the script runs in (default: on the host)")
    .option(
      "--ignore-dependencies",
      "run a script with --dependency without waiting for those jobs (default: an error, SBATCH021)",
    );
}

/** Where the API is: flags over FLOW_* over ./.flow/config.yaml over ~/.flow/config.yaml. */
function withRemoteOptions(command: Command, project = true): Command {
  if (project)
    command.option("--project <name|fid>", "project (env FLOW_PROJECT; default: the key's only project)");
  return command
    .option("--api-url <url>", "FCP API base URL (env FLOW_API_URL; default https://api.mlfoundry.com)")
    .option("--timeout <seconds>", "timeout of each API request (default 30)");
}

/**
 * The options of live submission (`flow run`, `flow slurm submit`, `flow submitit submit`).
 * `dryRun`: what `--dry-run` prints — `flow run`'s plan (as JSON with --json), or always the
 * compile result as JSON.
 */
function withSubmitOptions(command: Command, dryRun: "plan" | "compile-json"): Command {
  return withRemoteOptions(command, false)
    .option("--queue", "place the bid even when no region has capacity now (it waits, Open)")
    .option("--wait", "wait until every instance runs (progress on a terminal)")
    .option(
      "--json",
      dryRun === "plan"
        ? "print the placed bids (or, with --dry-run, the plan) as JSON"
        : "print the placed bids as JSON (--dry-run prints JSON anyway)",
    )
    .option("--script-limit <n>", "startup-script limit in characters and UTF-8 bytes (default 10000)")
    .option("--code-dir <dir>", "folder packed for upload_code (default: the working directory)")
    .option("--ssh-user <user>", "SSH login for the code upload (default: ssh_user setting, else ubuntu)")
    .option("--ssh-identity <file>", "private key for the code upload (default: ssh_identity setting)")
    .option("--ssh-option <option>", "extra ssh -o option for the code upload (repeatable)", collectSet)
    .addOption(
      new Option("--upload-path <path>", "where the code archive is written on the instance").hideHelp(),
    )
    .addOption(
      new Option("--poll-interval <seconds>", "seconds between polls while waiting (default 5)").hideHelp(),
    )
    .option("--wait-timeout <seconds>", "give up waiting after this long (default 1200)");
}

/** The commands flow has; `program` registers one of them when the arguments name it. */
export const COMMAND_NAMES: ReadonlySet<string> = new Set([
  "compile",
  "instance-types",
  "slurm",
  "submitit",
  "emulator",
  "run",
  "status",
  "cancel",
  "ssh",
  "volumes",
  "init",
]);

function program(io: CliIo, setExit: (code: number) => void, only?: string): Command {
  const root = new Command("flow")
    .description(
      "compile Flow YAML, SLURM batch scripts and submitit parameters into FCP bids and startup scripts",
    )
    .version(pkg.version, "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true);

  // Only the command being run is registered (all of them for help, or an unknown command):
  // building every command costs each start-up several milliseconds (docs/architecture.md).
  const want = (name: string) => only === undefined || only === name;
  if (want("compile")) {
    withSlurmOptions(root.command("compile"))
      .description("compile a job description into the TaskConfig IR, bid request(s) and startup script(s)")
      .argument("<file>", "Flow YAML file, SLURM batch script or submitit JSON (`-` reads stdin)")
      .addOption(
        new Option("--format <format>", "input format (default: detected)").choices([
          "yaml",
          "slurm",
          "submitit",
        ]),
      )
      .option(
        "--emit <file>",
        "write the startup script to a file (`-` for stdout); a job array: a directory",
      )
      .option("--emit-bid <file>", "write the bid request JSON to a file (`-` for stdout)")
      .option("--json", "print the whole result (IR, bids, scripts, sizes, diagnostics) as JSON on stdout")
      .option("--strict", "treat warnings as errors")
      .option("--script-limit <n>", "startup-script limit in characters and UTF-8 bytes", "10000")
      .option(
        "--budget",
        "print each startup script's per-section byte table, form (raw/compressed) and headroom",
      )
      .option(
        "--code-dir <dir>",
        "project directory packed for `upload_code` (default: the current directory)",
      )
      .option("--catalog <file>", "instance-type catalog JSON (default: built-in snapshot; env FLOW_CATALOG)")
      .option("--project <fid>", "project FID for the bid (env FLOW_PROJECT)")
      .action(async (file: string, flags) => setExit(await compileCommand(io, file, flags)));
  }

  if (want("instance-types")) {
    root
      .command("instance-types")
      .description("list the instance types the compiler knows, with FIDs, specs and regions")
      .option("--json", "print as JSON")
      .option("--catalog <file>", "instance-type catalog JSON (default: built-in snapshot; env FLOW_CATALOG)")
      .option("--live", "the API's instance types with each region's free capacity and current price")
      .option("--api-url <url>", "FCP API base URL for --live (env FLOW_API_URL)")
      .option("--timeout <seconds>", "timeout of each API request (default 30)")
      .action(async (flags) => setExit(await instanceTypesCommand(io, flags)));
  }

  if (want("slurm")) {
    const slurm = root.command("slurm").description("migrate SLURM batch scripts to the cloud");
    withSlurmOptions(slurm.command("convert"))
      .description("convert a batch script to Flow YAML, with a comment recording each directive's fate")
      .argument("<file>", "batch script (`-` reads stdin)")
      .option("-o, --output <file>", "write the YAML here (default: stdout)")
      .option("--strict", "treat warnings as errors")
      .action(async (file: string, flags) =>
        setExit(await (await import("./commands/slurm.ts")).slurmConvertCommand(io, file, flags)),
      );
    withSlurmOptions(slurm.command("migrate"))
      .description("convert every batch script under a folder; writes Flow YAML and report.md/report.json")
      .argument("<dir>", "folder of batch scripts (*.sbatch, *.slurm, *.sh, or any file with #SBATCH lines)")
      .requiredOption("--out <dir>", "output folder")
      .option("--jobs <n>", "worker threads (default: the number of cores)")
      .action(async (dir: string, flags) =>
        setExit(await (await import("./commands/slurm.ts")).slurmMigrateCommand(io, dir, flags)),
      );
    withSubmitOptions(withSlurmOptions(slurm.command("submit")), "compile-json")
      .description("compile a batch script and place its bid(s); --dry-run prints them instead")
      .argument("<file>", "batch script (`-` reads stdin)")
      .option("--dry-run", "print the bid(s) and startup script(s) as JSON; submit nothing")
      .option("--strict", "treat warnings as errors")
      .option("--catalog <file>", "catalog for --dry-run, which never asks the API (env FLOW_CATALOG)")
      .option("--project <name|fid>", "project (env FLOW_PROJECT; default: the key's only project)")
      .action(async (file: string, flags) =>
        setExit(await (await import("./commands/slurm.ts")).slurmSubmitCommand(io, file, flags)),
      );
  }

  if (want("submitit")) {
    const submitit = root.command("submitit").description("run submitit job parameters (JSON) on the cloud");
    withSubmitOptions(submitit.command("submit"), "compile-json")
      .description(
        "compile a submitit parameter document and place its bid(s); --dry-run prints them instead",
      )
      .argument("<file>", "submitit JSON (`-` reads stdin)")
      .option("--dry-run", "print the bid(s) and startup script(s) as JSON; submit nothing")
      .option("--strict", "treat warnings as errors")
      .option(
        "--partition-map <file>",
        "JSON/YAML: partition → {instance_type, region, image, max_price_per_hour}",
      )
      .option("--image <image>", "container image the job runs in (default: on the host)")
      .option("--ignore-dependencies", "run a job with a dependency without waiting for those jobs")
      .option("--catalog <file>", "catalog for --dry-run, which never asks the API (env FLOW_CATALOG)")
      .option("--project <name|fid>", "project (env FLOW_PROJECT; default: the key's only project)")
      .action(async (file: string, flags) =>
        setExit(await (await import("./commands/submitit.ts")).submititSubmitCommand(io, file, flags)),
      );
    submitit
      .command("render")
      .description("print the sbatch file submitit itself would write for the parameters")
      .argument("<file>", "submitit JSON (`-` reads stdin)")
      .option("-o, --output <file>", "write it here (default: stdout)")
      .action(async (file: string, flags) =>
        setExit(await (await import("./commands/submitit.ts")).submititRenderCommand(io, file, flags)),
      );
  }

  if (want("emulator")) {
    root
      .command("emulator")
      .description(
        "run the local FCP API emulator (prints FLOW_API_URL, FLOW_API_KEY, FLOW_PROJECT); Ctrl-C stops",
      )
      .option("--port <n>", "TCP port (0 = any free port)", "0")
      .option("--host <address>", "address to listen on", "127.0.0.1")
      .option("--fixtures <file>", "JSON/YAML: projects, keys, instance types, auctions, volumes, behaviour")
      .addOption(
        new Option("--profile <profile>", "how long instances take to boot")
          .choices(["fast", "realistic"])
          .default("fast"),
      )
      .option("--seed <n>", "seed of every identifier and random decision", "1")
      .option("--api-key <key>", "the accepted API key (default: derived from the seed, printed at start)")
      .addOption(
        new Option(
          "--clock <clock>",
          "wall: virtual time follows real time; manual: only /_emulator/clock/advance",
        )
          .choices(["wall", "manual"])
          .default("wall"),
      )
      .option("--log", "print one line per API request (method, path, status) on stderr")
      .action(async (flags) =>
        setExit(await (await import("./commands/emulator.ts")).emulatorCommand(io, flags)),
      );
  }

  if (want("run")) {
    withSubmitOptions(withSlurmOptions(root.command("run")), "plan")
      .description(
        "compile a job (Flow YAML, SLURM script, submitit JSON) and place its bid(s); -i for an interactive instance",
      )
      .argument("[file]", "job file (`-` reads stdin)")
      .option(
        "-i, --interactive <type>",
        "start an interactive instance of this type (e.g. 8xa100) instead of a job",
      )
      .option(
        "--ssh-keys <keys>",
        "comma-separated SSH key names or FIDs (-i default: every key of the project)",
      )
      .option("--name <name>", "name of the interactive instance (default: interactive)")
      .option("--region <region>", "region of the interactive instance (default: the cheapest with capacity)")
      .option("--max-price <dollars>", "limit price per instance-hour of the interactive instance")
      .addOption(
        new Option("--format <format>", "input format (default: detected)").choices([
          "yaml",
          "slurm",
          "submitit",
        ]),
      )
      .option("--dry-run", "print the plan (type, region, price, script sizes); place nothing")
      .option("--strict", "treat warnings as errors")
      .option("--catalog <file>", "catalog for an offline --dry-run (env FLOW_CATALOG)")
      .option("--project <name|fid>", "project (env FLOW_PROJECT; default: the key's only project)")
      .action(async (file: string | undefined, flags) =>
        setExit(await (await import("./commands/run.ts")).runCommand(io, file, flags)),
      );
  }

  if (want("status")) {
    withRemoteOptions(root.command("status"))
      .description(
        "the project's tasks: status, instances, preemption, prices; places queued array tasks whose turn came",
      )
      .argument("[task]", "a bid FID, a bid name, or the name a job was submitted under")
      .option(
        "--watch",
        "follow (placing queued array tasks as others end) until every shown task is terminated",
      )
      .option("--interval <seconds>", "seconds between rounds of --watch (default 5)")
      .option("--all", "include terminated tasks")
      .option("--json", "print as JSON")
      .action(async (task: string | undefined, flags) =>
        setExit(await (await import("./commands/status.ts")).statusCommand(io, task, flags)),
      );
  }

  if (want("cancel")) {
    withRemoteOptions(root.command("cancel"))
      .description("cancel a task, or every task of a submission or array (and its queued array tasks)")
      .argument("<task>", "a bid FID, a bid name, or the name a job was submitted under")
      .option(
        "--all",
        "cancel every submission the name matches (without it, a name matching several is refused)",
      )
      .option("--json", "print as JSON")
      .action(async (task: string, flags) =>
        setExit(await (await import("./commands/cancel.ts")).cancelCommand(io, task, flags)),
      );
  }

  if (want("ssh")) {
    withRemoteOptions(root.command("ssh"))
      .description("ssh to a task's instance (its ssh_destination); `-- command` runs a command")
      .argument("<task>", "a bid FID or bid name")
      .argument("[command...]", "remote command (after --)")
      .option("--print", "print the ssh command instead of running it")
      .option("--node <n>", "instance of a multi-node task (0-based, default 0)")
      .option("--user <user>", "login user (default: ssh_user setting, else ubuntu)")
      .option("--identity <file>", "private key file (default: ssh_identity setting)")
      .option("-o, --option <option>", "extra ssh -o option (repeatable)", collectSet)
      .action(async (task: string, command: string[], flags) =>
        setExit(await (await import("./commands/ssh.ts")).sshCommand(io, task, command, flags)),
      );
  }

  if (want("volumes")) {
    const volumes = root.command("volumes").description("the project's persistent volumes");
    withRemoteOptions(volumes.command("list"))
      .description("list volumes")
      .option("--region <region>", "only this region")
      .option("--json", "print as JSON")
      .action(async (flags) =>
        setExit(await (await import("./commands/volumes.ts")).volumesListCommand(io, flags)),
      );
    withRemoteOptions(volumes.command("create"))
      .description("create a volume")
      .argument("<name>", "lowercase letters, digits and dashes, starting with a letter (at most 64)")
      .requiredOption("--size <gb>", "size in GB (1–32000)")
      .requiredOption("--region <region>", "region (volumes attach only to bids in their region)")
      .addOption(
        new Option("--interface <kind>", "block or file").choices(["block", "file"]).default("block"),
      )
      .option("--json", "print as JSON")
      .action(async (name: string, flags) =>
        setExit(await (await import("./commands/volumes.ts")).volumesCreateCommand(io, name, flags)),
      );
    withRemoteOptions(volumes.command("delete"))
      .description("delete a volume (not while a live bid uses it)")
      .argument("<volume>", "name or FID")
      .option("--region <region>", "the region, when the name exists in several")
      .action(async (handle: string, flags) =>
        setExit(await (await import("./commands/volumes.ts")).volumesDeleteCommand(io, handle, flags)),
      );
  }

  if (want("init")) {
    root
      .command("init")
      .description("write ~/.flow/config.yaml and ~/.flow/credentials.yaml (mode 0600); asks on a terminal")
      .option(
        "--api-key <key>",
        "the API key (fkey_…), stored in credentials.yaml; `-` reads it from standard input",
      )
      .option("--api-url <url>", "FCP API base URL")
      .option("--project <name|fid>", "default project")
      .option("--ssh-user <user>", "default SSH login (flow ssh, code upload)")
      .option("--ssh-identity <file>", "default SSH private key")
      .option("--local", "write ./.flow/config.yaml (this folder's settings) instead of ~/.flow")
      .option("--local-credentials", "write the key to ./.flow/credentials.yaml instead of ~/.flow")
      .action(async (flags) => setExit(await (await import("./commands/init.ts")).initCommand(io, flags)));
  }

  return root;
}

/** Runs the CLI with arguments after the program name; resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  // The first word that is not an option names the command — unless it is an option's value, which
  // only root options could take, and flow's root options take none.
  const first = argv.find((a) => !a.startsWith("-"));
  const cli = program(
    io,
    (c) => {
      code = c;
    },
    first !== undefined && COMMAND_NAMES.has(first) && argv[0] === first ? first : undefined,
  );
  if (argv.length === 0) {
    cli.outputHelp();
    return EXIT.usage;
  }
  try {
    await cli.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end in a CommanderError with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`flow: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr(
      `flow: internal error: ${error instanceof Error ? error.message : String(error)}\nthis is a bug in flow; please report it with the input that caused it\n`,
    );
    return 70;
  }
}
