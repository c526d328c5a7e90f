/**
 * flow's environment modules on the instance (`task.slurm.modules`, present when the script runs
 * `module` or `ml`). The instance has no module system: without this, the first `module purge` of
 * a script is "command not found", fatal under `set -e`. So, as Lmod does, `module` and `ml` are
 * shell functions, here written to `modules.sh` in the shim directory:
 *
 * - `module load|add NAME…` loads each NAME the module map provides by running its setup step in
 *   the calling shell (so what it exports stays, as a real module's settings do), once per NAME
 *   and environment (FLOW_MODULES lists what is loaded, and is inherited like LOADEDMODULES); any
 *   other NAME fails with one line on stderr and status 1 (Lmod's behaviour for a missing module);
 *   `try-load`, `try-add` and `load-any` never fail; `swap|switch OLD NEW` loads NEW;
 * - every other subcommand (`purge`, `list`, `use`, `unload`, `avail`…) does nothing, status 0:
 *   nothing is loaded that it could act on;
 * - `ml NAME…` is `module load NAME…`; `ml` alone, `ml -NAME` and `ml SUBCOMMAND …` are `module …`.
 *
 * On the host the functions are exported (`export -f`), so every bash the task starts has them,
 * login shells included; in a container, where the host's environment does not go, the wrapper
 * points BASH_ENV at the mounted file (so a non-login bash reads it; a container's `bash -l` or a
 * task's own BASH_ENV there does not get them — docs/slurm-emulation.md).
 */
import { shellQuote } from "../quote.ts";
import { type MeasuredText, measured } from "../section.ts";
import { heredocDelimiter } from "../sections/setup.ts";
import { MODULES_FILE, SHIM_DIR } from "./command-line.ts";

/** `ml` words that name a subcommand (Lmod's list) rather than a module to load. */
const ML_SUBCOMMANDS =
  "''|-*|load|add|try-*|load-any|unload|rm|del|purge|list|av*|spider|show|display|help|whatis|keyword|save*|restore|describe|use|unuse|swap|switch|reset|refresh|update|is-*|overview|mt|table";

/** The text of `modules.sh`: the two functions, with one `case` arm per provided module. */
export function modulesScript(modules: Readonly<Record<string, string>>): string {
  const arms = Object.keys(modules)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => {
      const setup = modules[name] ?? "";
      return `${shellQuote(name)})${setup === "" ? "" : `eval ${shellQuote(setup)}||{ r=1;continue;}`};;`;
    });
  return `module(){
while [[ \${1-} == -* ]];do shift;done
local c=\${1-} m r=0 t=
[ $# = 0 ]||shift
case $c in load|add);;try-load|try-add|load-any)t=1;;swap|switch)[ $# -lt 2 ]||shift;;*)return 0;;esac
for m;do
[[ $m == -* || :\${FLOW_MODULES-}: == *:$m:* ]]&&continue
case $m in
${arms.map((arm) => `${arm}\n`).join("")}*)[ -n "$t" ]||{ echo "module (flow): $m: no such module on the instance (flow's --module-map can provide it)">&2;r=1;};continue;;
esac
export FLOW_MODULES=\${FLOW_MODULES:+$FLOW_MODULES:}$m
done
return $r
}
ml(){ case \${1-} in ${ML_SUBCOMMANDS})module "$@";;*)module load "$@";;esac;}`;
}

/**
 * The slurm section's lines (as one measured text) that write `modules.sh` and give the host's
 * bash its functions. Kept per module set (most scripts load the same few, an array's tasks all
 * the same), at most MODULE_TEXTS_KEPT sets.
 */
export function moduleLines(modules: Readonly<Record<string, string>>): MeasuredText {
  const key = JSON.stringify(modules);
  let lines = moduleTexts.get(key);
  if (lines === undefined) {
    const text = modulesScript(modules);
    const file = `"${SHIM_DIR}/${MODULES_FILE}"`;
    const delimiter = heredocDelimiter(text);
    lines = measured(
      [`cat >${file} <<'${delimiter}'`, text, delimiter, `. ${file}`, "export -f module ml"].join("\n"),
    );
    if (moduleTexts.size >= MODULE_TEXTS_KEPT) moduleTexts.clear();
    moduleTexts.set(key, lines);
  }
  return lines;
}

const MODULE_TEXTS_KEPT = 256;
const moduleTexts = new Map<string, MeasuredText>();
