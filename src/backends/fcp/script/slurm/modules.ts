/**
 * flow's environment modules on the instance (`task.slurm.modules`, present when the script runs
 * `module` or `ml`). The instance has no module system: without this, the first `module purge` of
 * a script is "command not found", fatal under `set -e`. So, as Lmod does, `module` and `ml` are
 * shell functions, here written to `modules.sh` in the shim directory by their own section,
 * `modules` (right after `slurm`, so the size table shows what the module map's setup steps cost):
 *
 * - `module load|add NAME…` loads each NAME the module map provides by running its setup step in
 *   the calling shell (so what it exports stays, as a real module's settings do), once per NAME
 *   and environment (FLOW_MODULES lists what is loaded, and is inherited like LOADEDMODULES); any
 *   other NAME fails with one line on stderr and status 1 (Lmod's behaviour for a missing module);
 *   with `try-load`, `try-add` and `load-any` a missing module is not an error (a failing setup
 *   step still is: status 1); `swap|switch OLD NEW` loads NEW;
 * - every other subcommand (`purge`, `list`, `use`, `unload`, `avail`…) does nothing, status 0:
 *   nothing is loaded that it could act on;
 * - `ml NAME…` is `module load NAME…`; `ml` alone, `ml -NAME` and `ml SUBCOMMAND …` are `module …`,
 *   SUBCOMMAND being exactly one of the body analysis's words (ML_SUBCOMMAND_WORDS), so that what
 *   the compile reports as loaded is what loads.
 *
 * A setup step runs by `eval` inside `module`: its plain assignments reach the caller, and the
 * function's own locals are `__flow_*` names a setup step does not use; but a `declare` (or
 * `local`, `typeset`) in a setup step is local to the function and gone when it returns, so a
 * setup step sets variables plainly, with `export`, or with `declare -g`.
 *
 * On the host the functions are exported (`export -f`), so every bash the task starts has them,
 * login shells included; in a container, where the host's environment does not go, the wrapper
 * points BASH_ENV at the mounted file (so a non-login bash reads it; a container's `bash -l` or a
 * task's own BASH_ENV there does not get them — docs/slurm-emulation.md).
 *
 * The section runs after the slurm section has put the task's PATH back, which may hold no `cat`
 * or any other program: it uses only bash builtins (`printf`, `.`, `export`).
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";
import { compareCodeUnits } from "../../../../source/code-units.ts";
import { shellQuote } from "../quote.ts";
import { type MeasuredText, measured, type ScriptSection, sectionOf } from "../section.ts";
import { MODULES_FILE, SHIM_DIR } from "./command-line.ts";

/**
 * `ml` words that name a subcommand rather than a module to load: exactly the body analysis's
 * list (ML_SUBCOMMANDS of src/frontends/slurm/body/modules.ts, which a backend does not import; a
 * test holds the two equal). Plain words, so each is a literal `case` pattern.
 */
export const ML_SUBCOMMAND_WORDS: readonly string[] = [
  "load",
  "add",
  "try-load",
  "try-add",
  "load-any",
  "unload",
  "rm",
  "del",
  "purge",
  "list",
  "avail",
  "av",
  "spider",
  "show",
  "display",
  "help",
  "whatis",
  "keyword",
  "save",
  "restore",
  "savelist",
  "describe",
  "use",
  "unuse",
  "swap",
  "switch",
  "reset",
  "refresh",
  "update",
  "is-loaded",
  "is-avail",
  "overview",
  "mt",
  "table",
];

/**
 * The `case` pattern of `ml`'s subcommands: none at all, or one of the words. Anything else loads
 * its words that are not options (`ml -gcc cuda` loads cuda; `-gcc`, an unload, does nothing), as
 * the compile-time analysis reads it.
 */
const ML_PATTERN = ["''", ...ML_SUBCOMMAND_WORDS].join("|");

/** The text of `modules.sh`: the two functions, with one `case` arm per provided module. */
export function modulesScript(modules: Readonly<Record<string, string>>): string {
  const arms = Object.keys(modules)
    .sort(compareCodeUnits)
    .map((name) => {
      const setup = modules[name] ?? "";
      return `${shellQuote(name)})${setup === "" ? "" : `eval ${shellQuote(setup)}||{ __flow_r=1;continue;}`};;`;
    });
  // the locals are __flow_* names: a setup step runs by eval in here and must not clobber them
  return `module(){
while [[ \${1-} == -* ]];do shift;done
local __flow_m __flow_r=0 __flow_t=
case \${1-} in load|add);;try-load|try-add|load-any)__flow_t=1;;swap|switch)[ $# -lt 3 ]||shift;;*)return 0;;esac
shift
for __flow_m;do
[[ $__flow_m == -* || :\${FLOW_MODULES-}: == *:"$__flow_m":* ]]&&continue
case $__flow_m in
${arms.map((arm) => `${arm}\n`).join("")}*)[ -n "$__flow_t" ]||{ echo "module (flow): $__flow_m: no such module on the instance (flow's --module-map can provide it)">&2;__flow_r=1;};continue;;
esac
export FLOW_MODULES=\${FLOW_MODULES:+$FLOW_MODULES:}$__flow_m
done
return $__flow_r
}
ml(){ case \${1-} in ${ML_PATTERN})module "$@";;*)module load "$@";;esac;}`;
}

/**
 * The `modules` section: for a SLURM task that runs `module` or `ml`, the lines that write
 * `modules.sh` and give the host's bash its functions; undefined for any other task. Comes right
 * after the slurm section (which made the shim directory), and uses only builtins.
 */
export function modulesSection(task: TaskConfig): ScriptSection | undefined {
  const modules = task.slurm?.modules;
  return modules === undefined ? undefined : sectionOf("modules", [moduleLines(modules)]);
}

/**
 * The modules section's lines, as one measured text. Kept per module set (most scripts load the
 * same few), at most MODULE_TEXTS_KEPT sets; an array's tasks share the section itself (the
 * backend's section cache), so this runs once per array.
 */
export function moduleLines(modules: Readonly<Record<string, string>>): MeasuredText {
  const key = JSON.stringify(modules);
  let lines = moduleTexts.get(key);
  if (lines === undefined) {
    const file = `"${SHIM_DIR}/${MODULES_FILE}"`;
    lines = measured(
      [
        `printf '%s\\n' ${shellQuote(modulesScript(modules))} >${file}`,
        `. ${file}`,
        "export -f module ml",
      ].join("\n"),
    );
    if (moduleTexts.size >= MODULE_TEXTS_KEPT) moduleTexts.clear();
    moduleTexts.set(key, lines);
  }
  return lines;
}

const MODULE_TEXTS_KEPT = 256;
const moduleTexts = new Map<string, MeasuredText>();
