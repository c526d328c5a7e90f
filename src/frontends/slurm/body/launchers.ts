/**
 * Parallel launchers: `srun` and MPI's `mpirun`/`mpiexec` (plus the site launchers `aprun`,
 * `ibrun`). The srun shim honours only `-n`, `-N`, `--ntasks-per-node`, `-c`, `--gpus*`, `--gres`,
 * `--export` and `-l`; every other option is accepted and ignored, so each is reported with what
 * happens instead (as information when ignoring it changes nothing). MPI across instances needs a
 * hostfile and passwordless ssh between the nodes, which the platform does not set up. The program
 * a launcher starts is analysed too (`srun singularity exec …`), as launched rather than as a
 * command the script runs on every node.
 */
import { diagnostic, type Severity, type Suggestion } from "../../../diagnostics/diagnostic.ts";
import type { Span } from "../../../source/source-file.ts";
import { registryImage, reportContainer } from "./containers.ts";
import { type BodyContext, code, commandText, wordSpan } from "./context.ts";
import type { ShellCommand } from "./scan.ts";
import { guessLongOption, readSrunOptions, type SrunOptionKind, type SrunOptionUse } from "./srun-options.ts";

/** What the shim does instead, per kind of ignored option (`%` is the option as written). */
const CONSEQUENCE: Readonly<Record<Exclude<SrunOptionKind, "honoured" | "container">, string>> = {
  harmless: "the srun shim accepts % and ignores it; nothing changes on the instance",
  binding:
    "the srun shim ignores %: tasks are not bound to CPUs, memory or GPUs as asked; they share the instance",
  "task-count":
    "the srun shim ignores %: the number of tasks comes only from -n/-N/--ntasks-per-node, so it may differ from what srun would start",
  placement:
    "the srun shim ignores %: tasks are laid out block-wise over all of the job's nodes, not on the nodes asked for",
  io: "the srun shim ignores %: tasks use the job's own stdin/stdout/stderr, and no per-task file is read or written",
  chdir: "the srun shim ignores %: tasks start in the script's working directory",
  interactive: "there is no terminal on the instance: the srun shim ignores %",
  "multi-prog":
    "the srun shim ignores %: it runs the configuration file itself as every task's program instead of reading it",
  heterogeneous:
    "heterogeneous steps are not supported: the srun shim ignores % and starts one homogeneous step",
  sharing:
    "the srun shim ignores %: concurrent steps (`srun … &`) get no dedicated CPUs or GPUs; they share the instance",
  mpi: "the srun shim ignores %: it provides no PMI/PMIx, so an MPI program it starts runs as independent single-rank processes",
  prolog: "the srun shim ignores %: the prolog/epilog program is not run",
  jobid: "the srun shim ignores %: there is only this job, and the tasks start in it",
};

const EXTRA_SUGGESTIONS: Partial<Record<SrunOptionKind, Suggestion>> = {
  chdir: { message: "`cd` to the directory before `srun`" },
  "multi-prog": {
    message: "start each program with its own `srun … &`, or dispatch on $SLURM_PROCID in a wrapper script",
  },
  io: {
    message: "redirect the output of `srun` itself (`srun … > file`); with `-l` each line names its task",
  },
  mpi: {
    message:
      "start the ranks without MPI's launcher integration (e.g. torch.distributed from SLURM_PROCID/SLURM_NTASKS), or run mpirun with a hostfile",
  },
};

/** Longest option text quoted in a message (a value may be a megabyte long). */
const MAX_SHOWN = 80;

function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function shownOption(use: SrunOptionUse): string {
  if (use.value === undefined) return shorten(use.spelled);
  return shorten(
    use.spelled.startsWith("--") ? `${use.spelled}=${use.value}` : `${use.spelled} ${use.value}`,
  );
}

/**
 * Did-you-mean guesses for unknown srun options, at most GUESSES_PER_SCRIPT per script (each costs
 * an edit distance per option name; a script of thousands of distinct bogus options would pay
 * seconds): past that, the option is still reported, without a guess.
 */
const GUESSES_PER_SCRIPT = 64;
const guessesMade = new WeakMap<BodyContext, number>();

function guessFor(ctx: BodyContext, spelled: string): string | undefined {
  const made = guessesMade.get(ctx) ?? 0;
  if (made >= GUESSES_PER_SCRIPT) return undefined;
  guessesMade.set(ctx, made + 1);
  return guessLongOption(spelled);
}

/** `srun …` at word `i`. */
export function checkSrun(ctx: BodyContext, cmd: ShellCommand, i: number): void {
  ctx.facts.usesSrun = true;
  const containerUses: SrunOptionUse[] = [];
  // An option repeated on one srun line (`-vvv`, `-v -v`) is reported once, at its first use.
  const reported = new Set<string>();
  const program = readSrunOptions(cmd, i, (use) => {
    const span: Span = { start: use.start, end: use.end };
    const shown = shownOption(use);
    const key = `${use.spelled}\0${use.value ?? ""}`;
    if (reported.has(key)) return;
    reported.add(key);
    const option = use.option;
    if (!option) {
      const guess =
        use.candidates.length === 0 && use.spelled.startsWith("--") ? guessFor(ctx, use.spelled) : undefined;
      const candidates = guess === undefined ? use.candidates : [guess];
      const ambiguous = candidates.length > 1;
      const message = ambiguous
        ? `${code(use.spelled)} is ambiguous for srun (${candidates.join(", ")}): real srun rejects it, and the shim ignores it`
        : `srun has no option ${code(shorten(use.spelled))}: real srun rejects it, and the shim ignores it`;
      const suggestions: Suggestion[] = candidates.map((c) => ({
        message: `did you mean ${code(c)}?`,
        replacement: use.value === undefined ? c : `${c}=${use.value}`,
      }));
      ctx.diagnostics.push(diagnostic("SBATCH032", message, span, { suggestions }));
      return;
    }
    if (option.kind === "honoured") return;
    if (option.kind === "container") {
      containerUses.push(use);
      return;
    }
    let severity: Severity = option.kind === "harmless" ? "info" : "warning";
    if (option.kind === "mpi" && use.value === "none") severity = "info";
    const extra = EXTRA_SUGGESTIONS[option.kind];
    ctx.diagnostics.push(
      diagnostic(
        "SBATCH032",
        CONSEQUENCE[option.kind].replace("%", () => code(shown)),
        span,
        {
          severity,
          suggestions: extra ? [extra] : [],
        },
      ),
    );
  });
  if (containerUses.length > 0) reportSrunContainer(ctx, cmd, program, containerUses);
  if (program >= cmd.count) return;
  for (let k = program + 1; k < cmd.count; k++) {
    if (cmd.is(k, ":")) {
      ctx.diagnostics.push(
        diagnostic(
          "SBATCH032",
          "heterogeneous steps (`srun … : …`) are not supported: the srun shim starts the first component's program with all the words after it",
          wordSpan(cmd, k),
        ),
      );
      break;
    }
  }
  ctx.dispatch(cmd, program, true);
}

function reportSrunContainer(
  ctx: BodyContext,
  cmd: ShellCommand,
  program: number,
  uses: readonly SrunOptionUse[],
): void {
  const imageUse = uses.find((u) => u.option?.name === "container-image");
  const oci = uses.find((u) => u.option?.name === "container" || u.option?.name === "container-id");
  const use = imageUse ?? oci ?? uses[0]!;
  const imageRef = imageUse?.value;
  const image = imageRef === undefined ? undefined : registryImage(imageRef, true);
  const programText = program < cmd.count ? commandText(cmd, program) : undefined;
  reportContainer(
    ctx,
    imageUse || !oci ? "pyxis" : "oci",
    { start: use.start, end: use.end },
    shownOption(use),
    imageRef,
    image,
    programText,
  );
}

/** Launchers that are site-specific and not on the instance at all. */
const SITE_LAUNCHERS = new Set(["aprun", "ibrun"]);

/** `mpirun`/`mpiexec`/… at word `i`, spelled `name`. */
export function checkMpi(ctx: BodyContext, cmd: ShellCommand, i: number, name: string): void {
  const span = wordSpan(cmd, i);
  if (SITE_LAUNCHERS.has(name)) {
    ctx.diagnostics.push(
      diagnostic(
        "SBATCH032",
        `\`${name}\` is a site launcher that is not on the instance: this line fails (command not found)`,
        span,
        {
          notes: ctx.failureNotes(),
          suggestions: [
            { message: "start the tasks with `srun` (the shim honours -n, -N, --ntasks-per-node, -c)" },
          ],
        },
      ),
    );
  } else if (ctx.options.numNodes > 1) {
    ctx.diagnostics.push(
      diagnostic(
        "SBATCH032",
        `\`${name}\` across instances needs a hostfile and passwordless ssh between the nodes, which the platform does not set up`,
        span,
        {
          notes: [
            {
              message:
                "MPI itself is not on the instance: it must come from the task's image. Open MPI and Intel MPI notice the emulated SLURM_* variables and may try to start their daemons through the srun shim",
            },
          ],
          suggestions: [
            {
              message: `write a hostfile with \`scontrol show hostnames > hostfile\` (the shim supports it), set up ssh keys between the instances, and run ${code(name)} on the first node only (\`if [ "$SLURM_NODEID" = 0 ]\`) with \`--hostfile hostfile\``,
            },
            {
              message:
                "or start one task per rank with `srun`, if the program can bootstrap from SLURM_PROCID/SLURM_NTASKS",
            },
          ],
        },
      ),
    );
  } else {
    ctx.diagnostics.push(
      diagnostic(
        "SBATCH032",
        `\`${name}\` runs on this one instance only; MPI is not installed on the instance, so it must come from the task's image`,
        span,
        { severity: "info" },
      ),
    );
  }
  for (let k = i + 1; k < cmd.count; k++) {
    const w = cmd.value(k);
    if (w === "singularity" || w === "apptainer" || w.endsWith("/singularity") || w.endsWith("/apptainer")) {
      ctx.dispatch(cmd, k, true);
      return;
    }
  }
}
