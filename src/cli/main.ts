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
    .option("--image <image>", "container image the script runs in (default: on the host)");
}

function program(io: CliIo, setExit: (code: number) => void): Command {
  const root = new Command("flow")
    .description("compile Flow YAML and SLURM batch scripts into FCP bids and startup scripts")
    .version(pkg.version, "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true);

  withSlurmOptions(root.command("compile"))
    .description("compile a job description into the TaskConfig IR, bid request(s) and startup script(s)")
    .argument("<file>", "Flow YAML file or SLURM batch script (`-` reads stdin)")
    .addOption(
      new Option("--format <format>", "input format (default: detected)").choices([
        "yaml",
        "slurm",
        "submitit",
      ]),
    )
    .option("--emit <file>", "write the startup script to a file (`-` for stdout); a job array: a directory")
    .option("--emit-bid <file>", "write the bid request JSON to a file (`-` for stdout)")
    .option("--json", "print the whole result (IR, bids, scripts, sizes, diagnostics) as JSON on stdout")
    .option("--strict", "treat warnings as errors")
    .option("--script-limit <n>", "startup-script limit in characters and UTF-8 bytes", "10000")
    .option("--catalog <file>", "instance-type catalog JSON (default: built-in snapshot; env FLOW_CATALOG)")
    .option("--project <fid>", "project FID for the bid (env FLOW_PROJECT)")
    .action(async (file: string, flags) => setExit(await compileCommand(io, file, flags)));

  root
    .command("instance-types")
    .description("list the instance types the compiler knows, with FIDs, specs and regions")
    .option("--json", "print as JSON")
    .option("--catalog <file>", "instance-type catalog JSON (default: built-in snapshot; env FLOW_CATALOG)")
    .action(async (flags) => setExit(await instanceTypesCommand(io, flags)));

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
  withSlurmOptions(slurm.command("submit"))
    .description("compile a batch script and place its bid(s); --dry-run prints them instead")
    .argument("<file>", "batch script (`-` reads stdin)")
    .option("--dry-run", "print the bid(s) and startup script(s) as JSON; submit nothing")
    .option("--strict", "treat warnings as errors")
    .option("--catalog <file>", "instance-type catalog JSON (env FLOW_CATALOG)")
    .option("--project <fid>", "project FID for the bid (env FLOW_PROJECT)")
    .action(async (file: string, flags) =>
      setExit(await (await import("./commands/slurm.ts")).slurmSubmitCommand(io, file, flags)),
    );

  return root;
}

/** Runs the CLI with arguments after the program name; resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const cli = program(io, (c) => {
    code = c;
  });
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
