/**
 * sbatch's input environment variables (spec §9), applied after the directives — they win over
 * them (§1: command line > environment > directives). Values use the option's grammar. A flag is
 * turned on by an empty value, `yes` (any case) or a non-zero integer, and off (reset) by anything
 * else; an optional argument is absent when the value is empty. Unset (`undefined`) variables and
 * variables sbatch does not read are ignored; the three sbatch reads without an option
 * (`SBATCH_REQ_SWITCH`, `SBATCH_WAIT4SWITCH`, `SBATCH_POWER`) are reported as ignored (SBATCH020).
 *
 * An env occurrence has no place in the file: it carries the span of the directive it overrides,
 * if any, and that directive gets an SBATCH014 info naming the variable.
 */
import { type Diagnostic, diagnostic } from "../../../diagnostics/diagnostic.ts";
import { closest } from "../../../diagnostics/did-you-mean.ts";
import { optionByLong } from "../options.ts";
import { type OptionOccurrence, spanOnOneLine } from "./occurrence.ts";
import { applyOccurrence, currentOccurrence, effectiveKey } from "./resolve-effective.ts";

/** Variable → option, in the order sbatch's `env_vars[]` table lists them (spec §9). */
const SBATCH_ENV_VARS: ReadonlyMap<string, string> = new Map([
  ["SBATCH_ACCOUNT", "account"],
  ["SBATCH_ACCTG_FREQ", "acctg-freq"],
  ["SBATCH_ARRAY_INX", "array"],
  ["SBATCH_BATCH", "batch"],
  ["SBATCH_BURST_BUFFER", "bb"],
  ["SBATCH_CLUSTER_CONSTRAINT", "cluster-constraint"],
  ["SBATCH_CLUSTERS", "clusters"],
  ["SLURM_CLUSTERS", "clusters"],
  ["SBATCH_CONSOLIDATE_SEGMENTS", "consolidate-segments"],
  ["SBATCH_CONSTRAINT", "constraint"],
  ["SBATCH_CONTAINER", "container"],
  ["SBATCH_CONTAINER_ID", "container-id"],
  ["SBATCH_CORE_SPEC", "core-spec"],
  ["SBATCH_CPU_FREQ_REQ", "cpu-freq"],
  ["SBATCH_CPUS_PER_GPU", "cpus-per-gpu"],
  ["SBATCH_DEBUG", "verbose"],
  ["SBATCH_DELAY_BOOT", "delay-boot"],
  ["SBATCH_DISTRIBUTION", "distribution"],
  ["SBATCH_ERROR", "error"],
  ["SBATCH_EXCLUSIVE", "exclusive"],
  ["SBATCH_EXPORT", "export"],
  ["SBATCH_GET_USER_ENV", "get-user-env"],
  ["SBATCH_GPU_BIND", "gpu-bind"],
  ["SBATCH_GPU_FREQ", "gpu-freq"],
  ["SBATCH_GPUS", "gpus"],
  ["SBATCH_GPUS_PER_NODE", "gpus-per-node"],
  ["SBATCH_GPUS_PER_SOCKET", "gpus-per-socket"],
  ["SBATCH_GPUS_PER_TASK", "gpus-per-task"],
  ["SBATCH_GRES", "gres"],
  ["SBATCH_GRES_FLAGS", "gres-flags"],
  ["SBATCH_HINT", "hint"],
  ["SLURM_HINT", "hint"],
  ["SBATCH_IGNORE_PBS", "ignore-pbs"],
  ["SBATCH_INPUT", "input"],
  ["SBATCH_JOB_NAME", "job-name"],
  ["SBATCH_MEM_BIND", "mem-bind"],
  ["SBATCH_MEM_PER_CPU", "mem-per-cpu"],
  ["SBATCH_MEM_PER_GPU", "mem-per-gpu"],
  ["SBATCH_MEM_PER_NODE", "mem"],
  ["SBATCH_NETWORK", "network"],
  ["SBATCH_NO_KILL", "no-kill"],
  ["SBATCH_NO_REQUEUE", "no-requeue"],
  ["SBATCH_OPEN_MODE", "open-mode"],
  ["SBATCH_OUTPUT", "output"],
  ["SBATCH_OVERCOMMIT", "overcommit"],
  ["SBATCH_PARTITION", "partition"],
  ["SBATCH_PROFILE", "profile"],
  ["SBATCH_QOS", "qos"],
  ["SBATCH_REQUEUE", "requeue"],
  ["SBATCH_RESERVATION", "reservation"],
  ["SBATCH_RUNTIME", "runtime"],
  ["SBATCH_SEGMENT_SIZE", "segment"],
  ["SBATCH_SIGNAL", "signal"],
  ["SBATCH_SPREAD_JOB", "spread-job"],
  ["SBATCH_SPREAD_SEGMENTS", "spread-segments"],
  ["SBATCH_THREAD_SPEC", "thread-spec"],
  ["SBATCH_THREADS_PER_CORE", "threads-per-core"],
  ["SBATCH_TIMELIMIT", "time"],
  ["SBATCH_TRES_BIND", "tres-bind"],
  ["SBATCH_TRES_PER_TASK", "tres-per-task"],
  ["SBATCH_USE_MIN_NODES", "use-min-nodes"],
  ["SBATCH_WAIT", "wait"],
  ["SBATCH_WAIT_ALL_NODES", "wait-all-nodes"],
  ["SBATCH_WCKEY", "wckey"],
]);

/** Variables sbatch reads that set no option flow knows (spec §7.2, §9). */
const WITHOUT_OPTION: ReadonlyMap<string, string> = new Map([
  ["SBATCH_REQ_SWITCH", "the leaf-switch count has no meaning on the cloud"],
  ["SBATCH_WAIT4SWITCH", "the leaf-switch wait has no meaning on the cloud"],
  ["SBATCH_POWER", "sbatch has no handler for it in this version"],
]);

/** Whether a flag variable turns its option on (spec §9). */
function turnsOn(value: string): boolean {
  if (value === "" || value.toLowerCase() === "yes") return true;
  const n = /^[ \t]*[-+]?\d+$/.test(value) ? Number.parseInt(value, 10) : 0;
  return n !== 0;
}

/** Applies the `SBATCH_*` variables of `env` to `effective`; returns the env occurrences applied. */
export function applyEnv(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  effective: Map<string, OptionOccurrence>,
  diagnostics: Diagnostic[],
): OptionOccurrence[] {
  const applied: OptionOccurrence[] = [];
  const names = Object.keys(env);
  if (!names.some((n) => n.startsWith("SBATCH_") || n.startsWith("SLURM_"))) return applied;
  for (const name of names.sort()) {
    if (!name.startsWith("SBATCH_") || env[name] === undefined) continue;
    if (SBATCH_ENV_VARS.has(name) || WITHOUT_OPTION.has(name) || name === "SBATCH_IGNORE_PBS") continue;
    // A truncated name (`SBATCH_TIME` for `SBATCH_TIMELIMIT`) is the usual slip; then edit distance.
    const known = [...SBATCH_ENV_VARS.keys()];
    const guess = known.find((k) => k.startsWith(name)) ?? closest(name, known);
    diagnostics.push(
      diagnostic(
        "SBATCH036",
        `\`${name}\` is not an input variable sbatch reads: it changes nothing`,
        undefined,
        {
          suggestions: guess ? [{ message: `did you mean \`${guess}\`?`, replacement: guess }] : [],
        },
      ),
    );
  }
  for (const [name, reason] of WITHOUT_OPTION) {
    if (env[name] !== undefined)
      diagnostics.push(diagnostic("SBATCH020", `\`${name}\` ignored: ${reason}`, undefined));
  }
  for (const [name, long] of SBATCH_ENV_VARS) {
    const raw = env[name];
    if (raw === undefined) continue;
    const spec = optionByLong(long)!;
    const replaced = currentOccurrence(effective, long);
    const envText = `${name}=${raw}`;
    if (spec.arg === "none" && !turnsOn(raw)) {
      if (replaced === undefined || effective.get(effectiveKey(long)) !== replaced) continue;
      effective.delete(effectiveKey(long));
      diagnostics.push(
        diagnostic(
          "SBATCH014",
          `\`${envText}\` from the environment turns \`${replaced.written}\` off: for a flag, sbatch takes any value but empty, yes or a non-zero number as "off"`,
          spanOnOneLine(text, replaced),
        ),
      );
      continue;
    }
    const value = spec.arg === "none" || (spec.arg === "optional" && raw === "") ? undefined : raw;
    const o: OptionOccurrence = {
      spec,
      written: name,
      value,
      span: replaced?.span,
      nameSpan: undefined,
      valueSpan: undefined,
      source: "env",
      line: -1,
    };
    applied.push(o);
    applyOccurrence(text, effective, o, diagnostics, envText);
  }
  return applied;
}
