/**
 * The sbatch option table (spec/slurm.md §7.2) and the spellings sbatch refuses (§7.3), recorded
 * faithfully: long name, short letter, whether the argument is required, optional (must be attached
 * with `=`) or absent, the value grammar (a tag naming a §8 grammar), and the class of §7.1 from
 * which the lowering derives each option's fate.
 *
 * Guarantees: every option sbatch accepts in the spec's snapshot is here exactly once; long-name
 * lookup follows getopt_long (an exact name wins, otherwise a unique prefix, otherwise ambiguous);
 * the tables are frozen and built once, so lookups cost a map access.
 */

/** The §7.1 class of an option: what it means for a single-tenant GPU cloud. */
export type OptionClass =
  | "RES"
  | "TIME"
  | "NAME"
  | "ENV"
  | "IO"
  | "ARRAY"
  | "SIG"
  | "SCHED"
  | "TOPO"
  | "POLICY"
  | "IMAGE"
  | "CLIENT"
  | "N/A";

/**
 * One option sbatch accepts. `grammar` names the value grammar: `none` for flags, otherwise one of
 * `string`, `int` (> 0), `uint` (≥ 0), `uint16`, `path`, `list`, `hostlist`, `time`, `time-point`,
 * `memory`, `nodes`, `gres`, `gpus`, `array`, `filename`, `export`, `export-file`, `signal`,
 * `constraint`, `dependency`, `distribution`, `mail-type`, `hint`, `exclusive`, `no-kill`, `nice`,
 * `propagate`, `requeue`, `open-mode`, `oom-kill-step`, `zero-one`, `yes-no`, `priority`, `profile`,
 * `licenses`, `clusters`, `cluster-constraint`, `acctg-freq`, `cpu-freq`, `extra-node-info`,
 * `gpu-bind`, `gpu-freq`, `gres-flags`, `mem-bind`, `mem-update`, `resources`, `switches`,
 * `tres-bind`, `tres-per-task` (spec §8 and §7.2's grammar column).
 */
export interface SlurmOptionSpec {
  readonly long: string;
  readonly short?: string;
  readonly arg: "required" | "optional" | "none";
  readonly grammar: string;
  readonly class: OptionClass;
  readonly meaning: string;
}

/** Every option of spec §7.2, in the spec's (alphabetical) order. */
export const SBATCH_OPTIONS: readonly SlurmOptionSpec[] = Object.freeze<SlurmOptionSpec[]>([
  {
    long: "account",
    short: "A",
    arg: "required",
    grammar: "string",
    class: "POLICY",
    meaning: "account to charge",
  },
  {
    long: "acctg-freq",
    arg: "required",
    grammar: "acctg-freq",
    class: "POLICY",
    meaning: "accounting sampling intervals",
  },
  {
    long: "array",
    short: "a",
    arg: "required",
    grammar: "array",
    class: "ARRAY",
    meaning: "submit a job array",
  },
  {
    long: "autocomplete",
    arg: "required",
    grammar: "string",
    class: "CLIENT",
    meaning: "prints shell completions and exits (internal)",
  },
  {
    long: "batch",
    arg: "required",
    grammar: "constraint",
    class: "TOPO",
    meaning: "node features required for the node that runs the script",
  },
  { long: "bb", arg: "required", grammar: "string", class: "POLICY", meaning: "burst-buffer spec" },
  {
    long: "bbf",
    arg: "required",
    grammar: "path",
    class: "POLICY",
    meaning: "burst-buffer spec file (its text is spliced into the script)",
  },
  {
    long: "begin",
    short: "b",
    arg: "required",
    grammar: "time-point",
    class: "SCHED",
    meaning: "do not start before this time",
  },
  {
    long: "chdir",
    short: "D",
    arg: "required",
    grammar: "path",
    class: "IO",
    meaning: "working directory of the script; base for relative I/O paths",
  },
  {
    long: "cluster",
    arg: "required",
    grammar: "clusters",
    class: "POLICY",
    meaning: "cluster selection (undocumented alias of --clusters)",
  },
  {
    long: "cluster-constraint",
    arg: "required",
    grammar: "cluster-constraint",
    class: "POLICY",
    meaning: "federation sibling selection",
  },
  {
    long: "clusters",
    short: "M",
    arg: "required",
    grammar: "clusters",
    class: "POLICY",
    meaning: "cluster selection",
  },
  { long: "comment", arg: "required", grammar: "string", class: "NAME", meaning: "free text" },
  {
    long: "consolidate-segments",
    arg: "none",
    grammar: "none",
    class: "TOPO",
    meaning: "topology/block option",
  },
  {
    long: "constraint",
    short: "C",
    arg: "required",
    grammar: "constraint",
    class: "RES",
    meaning: "required node features (GPU type hints)",
  },
  {
    long: "container",
    arg: "required",
    grammar: "path",
    class: "IMAGE",
    meaning: "run inside an OCI bundle; sets SLURM_CONTAINER",
  },
  { long: "container-id", arg: "required", grammar: "string", class: "IMAGE", meaning: "OCI container id" },
  { long: "context", arg: "required", grammar: "string", class: "POLICY", meaning: "SELinux security label" },
  { long: "contiguous", arg: "none", grammar: "none", class: "TOPO", meaning: "contiguous nodes" },
  {
    long: "core-spec",
    short: "S",
    arg: "required",
    grammar: "uint",
    class: "TOPO",
    meaning: "specialized cores per node",
  },
  {
    long: "cores-per-socket",
    arg: "required",
    grammar: "int",
    class: "TOPO",
    meaning: "node filter: cores per socket",
  },
  {
    long: "cpu-freq",
    arg: "required",
    grammar: "cpu-freq",
    class: "TOPO",
    meaning: "CPU frequency for steps",
  },
  { long: "cpus-per-gpu", arg: "required", grammar: "int", class: "RES", meaning: "CPUs per allocated GPU" },
  {
    long: "cpus-per-task",
    short: "c",
    arg: "required",
    grammar: "int",
    class: "RES",
    meaning: "CPUs per task",
  },
  {
    long: "deadline",
    arg: "required",
    grammar: "time-point",
    class: "SCHED",
    meaning: "cancel if it cannot finish before this time",
  },
  {
    long: "delay-boot",
    arg: "required",
    grammar: "time",
    class: "POLICY",
    meaning: "reboot delay for features",
  },
  {
    long: "dependency",
    short: "d",
    arg: "required",
    grammar: "dependency",
    class: "SCHED",
    meaning: "start conditions on other jobs",
  },
  {
    long: "distribution",
    short: "m",
    arg: "required",
    grammar: "distribution",
    class: "TOPO",
    meaning: "task layout",
  },
  {
    long: "error",
    short: "e",
    arg: "required",
    grammar: "filename",
    class: "IO",
    meaning: "stderr file of the script",
  },
  {
    long: "exclude",
    short: "x",
    arg: "required",
    grammar: "hostlist",
    class: "POLICY",
    meaning: "nodes to avoid",
  },
  { long: "exclusive", arg: "optional", grammar: "exclusive", class: "RES", meaning: "do not share nodes" },
  {
    long: "export",
    arg: "required",
    grammar: "export",
    class: "ENV",
    meaning: "which submit-time variables reach the job",
  },
  {
    long: "export-file",
    arg: "required",
    grammar: "export-file",
    class: "ENV",
    meaning: "extra NAME=value entries from a file",
  },
  {
    long: "external",
    arg: "none",
    grammar: "none",
    class: "N/A",
    meaning: "an external job without a script",
  },
  {
    long: "extra",
    arg: "required",
    grammar: "string",
    class: "POLICY",
    meaning: "free text, optionally a node filter",
  },
  {
    long: "extra-node-info",
    short: "B",
    arg: "required",
    grammar: "extra-node-info",
    class: "TOPO",
    meaning: "node topology minimums",
  },
  {
    long: "get-user-env",
    arg: "none",
    grammar: "none",
    class: "ENV",
    meaning: "load the user's login environment on the node",
  },
  {
    long: "gid",
    arg: "required",
    grammar: "string",
    class: "N/A",
    meaning: "group to run as (root only, deprecated)",
  },
  { long: "gpu-bind", arg: "required", grammar: "gpu-bind", class: "TOPO", meaning: "GPU-to-task binding" },
  { long: "gpu-freq", arg: "required", grammar: "gpu-freq", class: "TOPO", meaning: "GPU clocks" },
  {
    long: "gpus",
    short: "G",
    arg: "required",
    grammar: "gpus",
    class: "RES",
    meaning: "GPUs for the whole job",
  },
  { long: "gpus-per-node", arg: "required", grammar: "gpus", class: "RES", meaning: "GPUs per node" },
  { long: "gpus-per-socket", arg: "required", grammar: "gpus", class: "RES", meaning: "GPUs per socket" },
  { long: "gpus-per-task", arg: "required", grammar: "gpus", class: "RES", meaning: "GPUs per task" },
  { long: "gres", arg: "required", grammar: "gres", class: "RES", meaning: "generic resources per node" },
  { long: "gres-flags", arg: "required", grammar: "gres-flags", class: "TOPO", meaning: "GRES binding" },
  { long: "help", short: "h", arg: "none", grammar: "none", class: "CLIENT", meaning: "print help and exit" },
  { long: "hint", arg: "required", grammar: "hint", class: "TOPO", meaning: "binding hints" },
  {
    long: "hold",
    short: "H",
    arg: "none",
    grammar: "none",
    class: "SCHED",
    meaning: "submit held (priority 0)",
  },
  {
    long: "ignore-pbs",
    arg: "none",
    grammar: "none",
    class: "CLIENT",
    meaning: "do not translate #PBS/#BSUB directives",
  },
  {
    long: "input",
    short: "i",
    arg: "required",
    grammar: "filename",
    class: "IO",
    meaning: "stdin of the script",
  },
  { long: "job-name", short: "J", arg: "required", grammar: "string", class: "NAME", meaning: "job name" },
  {
    long: "kill-on-invalid-dep",
    arg: "required",
    grammar: "yes-no",
    class: "SCHED",
    meaning: "cancel if a dependency can never be met",
  },
  {
    long: "licenses",
    short: "L",
    arg: "required",
    grammar: "licenses",
    class: "POLICY",
    meaning: "licenses",
  },
  { long: "mail-type", arg: "required", grammar: "mail-type", class: "POLICY", meaning: "mail events" },
  { long: "mail-user", arg: "required", grammar: "string", class: "POLICY", meaning: "mail target" },
  { long: "mcs-label", arg: "required", grammar: "string", class: "POLICY", meaning: "MCS label" },
  { long: "mem", arg: "required", grammar: "memory", class: "RES", meaning: "memory per node" },
  { long: "mem-bind", arg: "required", grammar: "mem-bind", class: "TOPO", meaning: "NUMA binding" },
  { long: "mem-per-cpu", arg: "required", grammar: "memory", class: "RES", meaning: "memory per usable CPU" },
  { long: "mem-per-gpu", arg: "required", grammar: "memory", class: "RES", meaning: "memory per GPU" },
  {
    long: "mem-update",
    arg: "required",
    grammar: "mem-update",
    class: "POLICY",
    meaning: "later lower the memory limit",
  },
  { long: "mincpus", arg: "required", grammar: "int", class: "RES", meaning: "minimum CPUs per node" },
  { long: "network", arg: "required", grammar: "string", class: "TOPO", meaning: "interconnect options" },
  { long: "nice", arg: "optional", grammar: "nice", class: "POLICY", meaning: "lower or raise the priority" },
  {
    long: "no-kill",
    short: "k",
    arg: "optional",
    grammar: "no-kill",
    class: "SIG",
    meaning: "keep the job when a node fails",
  },
  { long: "no-requeue", arg: "none", grammar: "none", class: "SIG", meaning: "never requeue" },
  {
    long: "nodefile",
    short: "F",
    arg: "required",
    grammar: "path",
    class: "POLICY",
    meaning: "node list from a file",
  },
  {
    long: "nodelist",
    short: "w",
    arg: "required",
    grammar: "hostlist",
    class: "POLICY",
    meaning: "required nodes",
  },
  {
    long: "nodes",
    short: "N",
    arg: "required",
    grammar: "nodes",
    class: "RES",
    meaning: "node count or range",
  },
  { long: "ntasks", short: "n", arg: "required", grammar: "int", class: "RES", meaning: "number of tasks" },
  { long: "ntasks-per-core", arg: "required", grammar: "int", class: "TOPO", meaning: "tasks per core" },
  { long: "ntasks-per-gpu", arg: "required", grammar: "int", class: "RES", meaning: "tasks per GPU" },
  { long: "ntasks-per-node", arg: "required", grammar: "int", class: "RES", meaning: "tasks per node" },
  { long: "ntasks-per-socket", arg: "required", grammar: "int", class: "TOPO", meaning: "tasks per socket" },
  {
    long: "ntasks-per-tres",
    arg: "required",
    grammar: "int",
    class: "RES",
    meaning: "tasks per GPU (undocumented)",
  },
  {
    long: "oom-kill-step",
    arg: "optional",
    grammar: "oom-kill-step",
    class: "POLICY",
    meaning: "kill the whole step on OOM",
  },
  {
    long: "open-mode",
    arg: "required",
    grammar: "open-mode",
    class: "IO",
    meaning: "append to or truncate output files",
  },
  {
    long: "output",
    short: "o",
    arg: "required",
    grammar: "filename",
    class: "IO",
    meaning: "stdout file of the script",
  },
  {
    long: "overcommit",
    short: "O",
    arg: "none",
    grammar: "none",
    class: "RES",
    meaning: "allocate as if one task per node",
  },
  {
    long: "oversubscribe",
    short: "s",
    arg: "none",
    grammar: "none",
    class: "POLICY",
    meaning: "allow sharing nodes",
  },
  { long: "parsable", arg: "none", grammar: "none", class: "CLIENT", meaning: "print only the job id" },
  {
    long: "partition",
    short: "p",
    arg: "required",
    grammar: "list",
    class: "POLICY",
    meaning: "partition(s)",
  },
  { long: "prefer", arg: "required", grammar: "constraint", class: "POLICY", meaning: "soft node features" },
  { long: "priority", arg: "required", grammar: "priority", class: "POLICY", meaning: "priority (admins)" },
  { long: "profile", arg: "required", grammar: "profile", class: "POLICY", meaning: "profiling" },
  {
    long: "propagate",
    arg: "optional",
    grammar: "propagate",
    class: "POLICY",
    meaning: "copy submit-time resource limits",
  },
  {
    long: "qos",
    short: "q",
    arg: "required",
    grammar: "list",
    class: "POLICY",
    meaning: "quality of service",
  },
  { long: "quiet", short: "Q", arg: "none", grammar: "none", class: "CLIENT", meaning: "less output" },
  { long: "reboot", arg: "none", grammar: "none", class: "POLICY", meaning: "reboot nodes first (admins)" },
  { long: "requeue", arg: "optional", grammar: "requeue", class: "SIG", meaning: "the job may be requeued" },
  { long: "reservation", arg: "required", grammar: "list", class: "POLICY", meaning: "reservation" },
  {
    long: "resources",
    arg: "required",
    grammar: "resources",
    class: "POLICY",
    meaning: "hierarchical resources",
  },
  { long: "resv-ports", arg: "optional", grammar: "int", class: "TOPO", meaning: "reserved ports" },
  {
    long: "runtime",
    arg: "required",
    grammar: "string",
    class: "IMAGE",
    meaning: "container runtime plugin",
  },
  { long: "segment", arg: "required", grammar: "uint16", class: "TOPO", meaning: "topology segment size" },
  {
    long: "signal",
    arg: "required",
    grammar: "signal",
    class: "SIG",
    meaning: "warning signal before the time limit",
  },
  {
    long: "sockets-per-node",
    arg: "required",
    grammar: "int",
    class: "TOPO",
    meaning: "node filter: sockets per node",
  },
  { long: "spread-job", arg: "none", grammar: "none", class: "TOPO", meaning: "spread over many nodes" },
  { long: "spread-segments", arg: "none", grammar: "none", class: "TOPO", meaning: "topology/block option" },
  { long: "stepmgr", arg: "none", grammar: "none", class: "POLICY", meaning: "per-job step manager" },
  { long: "switches", arg: "required", grammar: "switches", class: "TOPO", meaning: "leaf-switch limit" },
  {
    long: "tasks-per-node",
    arg: "required",
    grammar: "int",
    class: "RES",
    meaning: "tasks per node (deprecated alias of --ntasks-per-node)",
  },
  {
    long: "test-only",
    arg: "none",
    grammar: "none",
    class: "CLIENT",
    meaning: "validate and estimate, do not submit",
  },
  { long: "thread-spec", arg: "required", grammar: "int", class: "TOPO", meaning: "specialized threads" },
  {
    long: "threads-per-core",
    arg: "required",
    grammar: "int",
    class: "TOPO",
    meaning: "threads used per core",
  },
  { long: "time", short: "t", arg: "required", grammar: "time", class: "TIME", meaning: "wall-clock limit" },
  {
    long: "time-min",
    arg: "required",
    grammar: "time",
    class: "TIME",
    meaning: "smallest acceptable time limit",
  },
  {
    long: "tmp",
    arg: "required",
    grammar: "memory",
    class: "RES",
    meaning: "minimum temporary disk per node",
  },
  { long: "tres-bind", arg: "required", grammar: "tres-bind", class: "TOPO", meaning: "TRES binding" },
  {
    long: "tres-per-task",
    arg: "required",
    grammar: "tres-per-task",
    class: "RES",
    meaning: "resources per task",
  },
  {
    long: "uid",
    arg: "required",
    grammar: "string",
    class: "N/A",
    meaning: "user to run as (root only, deprecated)",
  },
  { long: "usage", arg: "none", grammar: "none", class: "CLIENT", meaning: "print usage and exit" },
  {
    long: "use-min-nodes",
    arg: "none",
    grammar: "none",
    class: "RES",
    meaning: "prefer the low end of a node range",
  },
  { long: "verbose", short: "v", arg: "none", grammar: "none", class: "CLIENT", meaning: "more output" },
  {
    long: "version",
    short: "V",
    arg: "none",
    grammar: "none",
    class: "CLIENT",
    meaning: "print the version and exit",
  },
  {
    long: "wait",
    short: "W",
    arg: "none",
    grammar: "none",
    class: "CLIENT",
    meaning: "sbatch waits for the job to end",
  },
  {
    long: "wait-all-nodes",
    arg: "required",
    grammar: "zero-one",
    class: "SCHED",
    meaning: "start only once all nodes are booted",
  },
  { long: "wckey", arg: "required", grammar: "string", class: "POLICY", meaning: "workload key" },
  {
    long: "wrap",
    arg: "required",
    grammar: "string",
    class: "CLIENT",
    meaning: "wrap a command in a generated script (command line only)",
  },
]);

/**
 * Early-pass options (spec §5.6): inside `#SBATCH` sbatch accepts them and silently ignores them;
 * they only act from the real command line or the environment.
 */
export const EARLY_PASS_OPTIONS: ReadonlySet<string> = new Set([
  "help",
  "usage",
  "version",
  "verbose",
  "quiet",
  "wrap",
]);

/**
 * Options that write the same field as another option (spec §5.2, §7.2): a later one overrides an
 * earlier one of the other spelling. Pure aliases map to the name the field is known by.
 */
export const SAME_FIELD: ReadonlyMap<string, string> = new Map([
  ["tasks-per-node", "ntasks-per-node"],
  ["cluster", "clusters"],
]);

/** Options that share one field but mean opposite or different things: the later one replaces the other. */
export const OVERRIDING_PAIRS: ReadonlyMap<string, string> = new Map([
  ["requeue", "no-requeue"],
  ["no-requeue", "requeue"],
  ["nodelist", "nodefile"],
  ["nodefile", "nodelist"],
]);

/** Options that may legitimately repeat (spec §5.2: `-v` counts up). */
export const REPEATABLE_OPTIONS: ReadonlySet<string> = new Set(["verbose"]);

/** Why sbatch refuses a spelling (spec §7.3). */
export type NotAcceptedKind = "renamed" | "removed" | "srun";

/** A spelling sbatch does not accept; `arg` says whether it took a value where it existed. */
export interface NotAcceptedSpelling {
  readonly long: string;
  readonly short?: string;
  readonly arg: "required" | "optional" | "none";
  readonly kind: NotAcceptedKind;
  /** The sbatch option to write instead, when there is one. */
  readonly replacement?: string;
  readonly note: string;
}

/** The spellings of spec §7.3 (and a few more srun-only options met in real scripts). */
export const NOT_ACCEPTED_SPELLINGS: readonly NotAcceptedSpelling[] = Object.freeze<NotAcceptedSpelling[]>([
  {
    long: "workdir",
    arg: "required",
    kind: "renamed",
    replacement: "chdir",
    note: "the old name of --chdir",
  },
  {
    long: "share",
    arg: "none",
    kind: "renamed",
    replacement: "oversubscribe",
    note: "the old name of --oversubscribe",
  },
  {
    long: "power",
    arg: "required",
    kind: "removed",
    note: "still listed in sbatch's usage text, but no handler exists",
  },
  { long: "checkpoint", arg: "required", kind: "removed", note: "checkpointing was removed from Slurm" },
  { long: "checkpoint-dir", arg: "required", kind: "removed", note: "checkpointing was removed from Slurm" },
  { long: "blrts-image", arg: "required", kind: "removed", note: "a BlueGene option, removed" },
  { long: "cnload-image", arg: "required", kind: "removed", note: "a BlueGene option, removed" },
  { long: "ioload-image", arg: "required", kind: "removed", note: "a BlueGene option, removed" },
  { long: "linux-image", arg: "required", kind: "removed", note: "a BlueGene option, removed" },
  { long: "mloader-image", arg: "required", kind: "removed", note: "a BlueGene option, removed" },
  { long: "ramdisk-image", arg: "required", kind: "removed", note: "a BlueGene option, removed" },
  { long: "conn-type", arg: "required", kind: "removed", note: "a BlueGene option, removed" },
  { long: "geometry", short: "g", arg: "required", kind: "removed", note: "a BlueGene option, removed" },
  { long: "no-rotate", short: "R", arg: "none", kind: "removed", note: "a BlueGene option, removed" },
  {
    long: "mincores",
    arg: "required",
    kind: "renamed",
    replacement: "cores-per-socket",
    note: "an old name, removed",
  },
  {
    long: "minsockets",
    arg: "required",
    kind: "renamed",
    replacement: "sockets-per-node",
    note: "an old name, removed",
  },
  {
    long: "minthreads",
    arg: "required",
    kind: "renamed",
    replacement: "threads-per-core",
    note: "an old name, removed",
  },
  { long: "immediate", short: "I", arg: "optional", kind: "srun", note: "an srun/salloc option" },
  { long: "jobid", arg: "required", kind: "srun", note: "an srun option" },
  { long: "mpi", arg: "required", kind: "srun", note: "an srun option" },
  { long: "cpu-bind", arg: "required", kind: "srun", note: "an srun option" },
  { long: "cpu_bind", arg: "required", kind: "srun", note: "an old spelling of srun's --cpu-bind" },
  { long: "pty", arg: "none", kind: "srun", note: "an srun option" },
  { long: "label", arg: "none", kind: "srun", note: "an srun option" },
  { long: "kill-on-bad-exit", short: "K", arg: "optional", kind: "srun", note: "an srun option" },
  { long: "exact", arg: "none", kind: "srun", note: "an srun option" },
  { long: "overlap", arg: "none", kind: "srun", note: "an srun option" },
  { long: "multi-prog", arg: "none", kind: "srun", note: "an srun option" },
  { long: "x11", arg: "optional", kind: "srun", note: "an srun/salloc option" },
  { long: "unbuffered", arg: "none", kind: "srun", note: "an srun option" },
  { long: "task-prolog", arg: "required", kind: "srun", note: "an srun option" },
  { long: "task-epilog", arg: "required", kind: "srun", note: "an srun option" },
]);

/**
 * Options of common SPANK plugins (site-specific; not part of sbatch itself) seen in real scripts,
 * with the plugin that provides them.
 */
export const SITE_PLUGIN_OPTIONS: ReadonlyMap<string, string> = new Map([
  ["image", "NERSC Shifter"],
  ["volume", "NERSC Shifter"],
  ["module", "NERSC Shifter"],
  ["ear", "EAR"],
  ["ear-policy", "EAR"],
  ["ear-verbose", "EAR"],
  ["ear-cpufreq", "EAR"],
  ["container-image", "pyxis (an srun plugin)"],
  ["container-mounts", "pyxis (an srun plugin)"],
  ["container-name", "pyxis (an srun plugin)"],
  ["container-writable", "pyxis (an srun plugin)"],
  ["container-remap-root", "pyxis (an srun plugin)"],
  ["container-workdir", "pyxis (an srun plugin)"],
  ["uenv", "CSCS uenv"],
  ["uenv-file", "CSCS uenv"],
]);

const BY_LONG: ReadonlyMap<string, SlurmOptionSpec> = new Map(SBATCH_OPTIONS.map((o) => [o.long, o]));
const BY_SHORT: ReadonlyMap<string, SlurmOptionSpec> = new Map(
  SBATCH_OPTIONS.flatMap((o): [string, SlurmOptionSpec][] => (o.short ? [[o.short, o]] : [])),
);
const NOT_ACCEPTED_BY_LONG: ReadonlyMap<string, NotAcceptedSpelling> = new Map(
  NOT_ACCEPTED_SPELLINGS.map((o) => [o.long, o]),
);
const NOT_ACCEPTED_BY_SHORT: ReadonlyMap<string, NotAcceptedSpelling> = new Map(
  NOT_ACCEPTED_SPELLINGS.flatMap((o): [string, NotAcceptedSpelling][] => (o.short ? [[o.short, o]] : [])),
);

/** The option with this exact long name (no prefix matching). */
export function optionByLong(long: string): SlurmOptionSpec | undefined {
  return BY_LONG.get(long);
}

/** The option with this short letter (`N` → `--nodes`). */
export function optionByShort(letter: string): SlurmOptionSpec | undefined {
  return BY_SHORT.get(letter);
}

/** The §7.3 entry for a long name sbatch refuses, if it is one. */
export function notAcceptedByLong(long: string): NotAcceptedSpelling | undefined {
  return NOT_ACCEPTED_BY_LONG.get(long);
}

/** The §7.3 entry for a short letter sbatch refuses (`-I`), if it is one. */
export function notAcceptedByShort(letter: string): NotAcceptedSpelling | undefined {
  return NOT_ACCEPTED_BY_SHORT.get(letter);
}

/** How getopt_long resolves a long name: one option, several candidates, or none. */
export type LongOptionResolution =
  | { readonly kind: "exact" | "prefix"; readonly spec: SlurmOptionSpec }
  | { readonly kind: "ambiguous"; readonly candidates: readonly SlurmOptionSpec[] }
  | { readonly kind: "unknown" };

/**
 * getopt_long's rule for `--name` (spec §5.1): an exact name wins even when it is also a prefix of
 * other names; otherwise a prefix of exactly one name selects it; a prefix of several is ambiguous
 * (every table entry is its own option, so aliases such as `--cluster`/`--clusters` count as two).
 */
export function resolveLongOption(prefix: string): LongOptionResolution {
  const exact = BY_LONG.get(prefix);
  if (exact) return { kind: "exact", spec: exact };
  if (prefix === "") return { kind: "unknown" };
  const candidates = SBATCH_OPTIONS.filter((o) => o.long.startsWith(prefix));
  if (candidates.length === 1) return { kind: "prefix", spec: candidates[0]! };
  if (candidates.length > 1) return { kind: "ambiguous", candidates };
  return { kind: "unknown" };
}
