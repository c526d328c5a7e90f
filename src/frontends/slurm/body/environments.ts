/**
 * Environment activation: conda/mamba (`conda activate`, `source activate`, `conda.sh`, the shell
 * hook), Python virtualenvs (`source venv/bin/activate`), spack, login profiles (`. ~/.bashrc`)
 * and module-system initialisation scripts. None of these exist on a fresh instance: an
 * environment works only if the task's image carries it or the script creates it. Activation is
 * reported as information (SBATCH031), because a script that builds its environment first is
 * correct; sourcing a module system's init script is a SBATCH030 warning like `module load`.
 */
import { diagnostic, type Suggestion } from "../../../diagnostics/diagnostic.ts";
import { type BodyContext, code, commandText, firstOperand, wordSpan } from "./context.ts";
import type { ShellCommand } from "./scan.ts";

const CONDA_PATH = /conda|mamba|miniforge/i;
const CONDA_HOOK_SCRIPT = /(?:^|\/)(?:conda|mamba)\.(?:sh|csh|fish)$/;
const VENV_ACTIVATE = /(?:^|\/)activate(?:\.sh)?$/;
const MODULE_INIT =
  /(?:^|\/)(?:modules\.(?:sh|bash|csh)|lmod\.(?:sh|csh)|z00_lmod\.sh)$|\/(?:lmod|[Mm]odules)\/[^ ]*\/?init\/[a-z]+$|MODULESHOME/;
const LOGIN_PROFILE =
  /(?:^|\/)\.(?:bashrc|bash_profile|bash_login|profile|zshrc|cshrc|tcshrc|login)$|^\/etc\/(?:profile|bashrc|bash\.bashrc)$/;

const CONDA_SUGGESTIONS: readonly Suggestion[] = [
  {
    message:
      "use an image that has conda and the environment (e.g. built FROM continuumio/miniconda3 with `conda env create -f environment.yml`)",
  },
  { message: "or install the packages with pip in a setup step and drop the activation" },
];

function condaInfo(
  ctx: BodyContext,
  cmd: ShellCommand,
  i: number,
  shown: string,
  env: string | undefined,
): void {
  if (env !== undefined) ctx.facts.condaEnvs.push(env);
  const tail =
    env === undefined
      ? "conda must come from the task's image"
      : `the environment ${code(env)} must exist in the task's image (with conda on its PATH) or be created by the script`;
  ctx.diagnostics.push(
    diagnostic(
      "SBATCH031",
      `conda is not on the instance: ${code(shown)} will fail; ${tail}`,
      wordSpan(cmd, i),
      {
        notes: ctx.failureNotes(),
        suggestions: CONDA_SUGGESTIONS,
      },
    ),
  );
}

/** `conda …`, `mamba …`, `micromamba …` at word `i`. */
export function checkConda(ctx: BodyContext, cmd: ShellCommand, i: number): void {
  const j = firstOperand(cmd, i + 1);
  const sub = j < cmd.count ? cmd.value(j) : "";
  if (sub === "deactivate") return;
  const shown = commandText(cmd, i, Math.min(cmd.count, j + 2));
  if (sub === "activate") {
    const k = firstOperand(cmd, j + 1);
    condaInfo(ctx, cmd, i, shown, k < cmd.count ? cmd.value(k) : "base");
    return;
  }
  if (sub === "run") {
    for (let k = j + 1; k + 1 < cmd.count; k++) {
      const flag = cmd.value(k);
      if (flag === "-n" || flag === "--name" || flag === "-p" || flag === "--prefix") {
        condaInfo(ctx, cmd, i, commandText(cmd, i, k + 2), cmd.value(k + 1));
        return;
      }
    }
  }
  condaInfo(ctx, cmd, i, shown, undefined);
}

/** `source FILE …` or `. FILE …` at word `i`. */
export function checkSource(ctx: BodyContext, cmd: ShellCommand, i: number): void {
  if (i + 1 >= cmd.count) return;
  const target = cmd.value(i + 1);
  const shown = commandText(cmd, i, Math.min(cmd.count, i + 3));
  if (
    target === "activate" ||
    (VENV_ACTIVATE.test(target) && (i + 2 < cmd.count || CONDA_PATH.test(target)))
  ) {
    condaInfo(ctx, cmd, i, shown, i + 2 < cmd.count ? cmd.value(i + 2) : "base");
    return;
  }
  if (VENV_ACTIVATE.test(target)) {
    const dir = target.replace(/\/?(?:bin\/)?activate(?:\.sh)?$/, "") || ".";
    ctx.facts.venvs.push(dir);
    ctx.diagnostics.push(
      diagnostic(
        "SBATCH031",
        `${code(shown)} needs the virtualenv ${code(dir)} on the instance: it exists only if the uploaded code contains it (built for the instance's Python) or the script creates it`,
        wordSpan(cmd, i),
        {
          notes: ctx.failureNotes(),
          suggestions: [
            {
              message: `create it before activating: \`python3 -m venv ${dir} && ${dir}/bin/pip install -r requirements.txt\``,
            },
            { message: "or use an image that has the packages installed and drop the activation" },
          ],
        },
      ),
    );
    return;
  }
  if (CONDA_HOOK_SCRIPT.test(target)) {
    condaInfo(ctx, cmd, i, shown, undefined);
    return;
  }
  if (MODULE_INIT.test(target)) {
    ctx.diagnostics.push(
      diagnostic(
        "SBATCH030",
        `no environment modules on the instance: ${code(shown)} will fail (there is no module system to initialise)`,
        wordSpan(cmd, i),
        {
          notes: ctx.failureNotes(),
          suggestions: [{ message: "delete the line; map the modules the script loads with a module map" }],
        },
      ),
    );
    return;
  }
  if (LOGIN_PROFILE.test(target)) {
    ctx.diagnostics.push(
      diagnostic(
        "SBATCH031",
        `${code(shown)} reads the instance's own profile, not your cluster one: what your cluster profile sets up (PATH, conda init, modules, variables) is missing`,
        wordSpan(cmd, i),
        {
          suggestions: [
            {
              message:
                "put the variables the job needs in the task's `env`, and the setup in the script or the image",
            },
          ],
        },
      ),
    );
  }
}

/** `spack load …` / `spack env activate …` at word `i`. */
export function checkSpack(ctx: BodyContext, cmd: ShellCommand, i: number): void {
  const j = firstOperand(cmd, i + 1);
  const sub = j < cmd.count ? cmd.value(j) : "";
  if (sub !== "load" && sub !== "env") return;
  ctx.diagnostics.push(
    diagnostic(
      "SBATCH031",
      `spack is not on the instance: ${code(commandText(cmd, i))} will fail; the packages must come from the task's image or a setup step`,
      wordSpan(cmd, i),
      { notes: ctx.failureNotes() },
    ),
  );
}
