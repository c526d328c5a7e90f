/**
 * Scheduler commands in the body: nested `sbatch`, `salloc`, `squeue`, `scancel`, `scontrol`,
 * `sacct`, `sinfo` and the other Slurm client tools. There is no scheduler on the instance. The
 * emulation ships failing shims for `sbatch`, `squeue`, `scancel` and `scontrol` (which print why
 * and exit non-zero) and a working `scontrol show hostnames`; every other tool is simply absent
 * (exit 127). Each use is a warning saying which of the two happens and what to do instead.
 */
import { diagnostic, type Suggestion } from "../../../diagnostics/diagnostic.ts";
import { type BodyContext, code, commandText, firstOperand, wordSpan } from "./context.ts";
import type { ShellCommand } from "./scan.ts";

/** Commands the emulation replaces with a shim that fails loudly. */
const FAILING_SHIMS = new Set(["sbatch", "squeue", "scancel", "scontrol"]);

/** Slurm client commands that are not on the instance at all. */
const ABSENT_SLURM_TOOLS: ReadonlySet<string> = new Set([
  "salloc",
  "sacct",
  "sacctmgr",
  "sattach",
  "sbcast",
  "scrontab",
  "sdiag",
  "seff",
  "sinfo",
  "sprio",
  "sreport",
  "sshare",
  "sstat",
  "strigger",
  "sview",
]);

/** Commands this rule handles. */
export const JOB_CONTROL_COMMANDS: ReadonlySet<string> = new Set([...FAILING_SHIMS, ...ABSENT_SLURM_TOOLS]);

/** `scontrol show hostnames` (and the abbreviations scontrol accepts, e.g. `hostname`). */
function isShowHostnames(cmd: ShellCommand, i: number): boolean {
  const j = firstOperand(cmd, i + 1);
  if (j + 1 >= cmd.count || cmd.value(j).toLowerCase() !== "show") return false;
  const entity = cmd.value(j + 1).toLowerCase();
  return entity.length >= 5 && "hostnames".startsWith(entity);
}

function mentionsOwnJob(cmd: ShellCommand, i: number): boolean {
  for (let k = i + 1; k < cmd.count; k++) if (/SLURM_JOB_?ID/.test(cmd.value(k))) return true;
  return false;
}

/** Reports the scheduler command at word `i` (named `name`). */
export function checkJobControl(ctx: BodyContext, cmd: ShellCommand, i: number, name: string): void {
  if (name === "scontrol" && isShowHostnames(cmd, i)) return;
  const shown = commandText(cmd, i, Math.min(cmd.count, i + 3));
  const suggestions: Suggestion[] = [];
  let message: string;
  if (name === "sbatch") {
    const captured = cmd.nested ? ", and the job id it would print is empty" : "";
    message = `there is no scheduler on the instance: the \`sbatch\` shim fails loudly, so ${code(shown)} submits nothing${captured}`;
    suggestions.push(
      {
        message:
          "submit follow-up jobs from your own machine (`flow run <script>`) once this one has finished",
      },
      { message: "or run the follow-up work directly in this script" },
    );
  } else if (name === "scancel" && mentionsOwnJob(cmd, i)) {
    message = `there is no scheduler on the instance: the \`scancel\` shim fails loudly, so ${code(shown)} does not end the job`;
    suggestions.push({
      message: "end the job with `exit` instead",
      replacement: "exit",
      span: { start: cmd.start(i), end: cmd.end(cmd.count - 1) },
    });
  } else if (name === "scontrol") {
    message = `there is no scheduler on the instance: the \`scontrol\` shim supports only \`scontrol show hostnames\`, so ${code(shown)} fails loudly`;
    suggestions.push({
      message:
        "read what the job needs from the emulated SLURM_* variables (SLURM_JOB_NODELIST, SLURM_NNODES, SLURM_CPUS_ON_NODE, …)",
    });
  } else if (FAILING_SHIMS.has(name)) {
    message = `there is no scheduler on the instance: the \`${name}\` shim fails loudly, so ${code(shown)} fails`;
    suggestions.push({ message: "delete the line; the job is the only one on its instances" });
  } else {
    message = `there is no scheduler on the instance: \`${name}\` is not installed, so ${code(shown)} fails (command not found)`;
    suggestions.push({ message: "delete the line; the job is the only one on its instances" });
  }
  ctx.diagnostics.push(
    diagnostic("SBATCH033", message, wordSpan(cmd, i), { notes: ctx.failureNotes(), suggestions }),
  );
}
