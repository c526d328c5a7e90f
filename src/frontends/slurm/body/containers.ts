/**
 * Container runtimes in the body: singularity/apptainer, enroot, pyxis (`srun --container-image`),
 * docker/podman and shifter. The instance has no singularity, apptainer, enroot, pyxis or shifter,
 * and when the task has an image its script already runs inside that image's container, where
 * there is no docker either. The way out is always the same: make the container's image the task's
 * `image` and run the command directly, so the suggestion names the image whenever the command
 * spells one a registry can serve.
 */
import { diagnostic } from "../../../diagnostics/diagnostic.ts";
import type { Span } from "../../../source/source-file.ts";
import { type BodyContext, code, commandText, firstOperand, wordSpan } from "./context.ts";
import type { ShellCommand } from "./scan.ts";

type Runtime = "singularity" | "apptainer" | "docker" | "enroot";

/** singularity/apptainer options (exec, run, shell, instance start) that take a separate value. */
const SINGULARITY_VALUED = new Set([
  "-B",
  "--bind",
  "--mount",
  "-H",
  "--home",
  "--env",
  "--env-file",
  "--pwd",
  "-W",
  "--workdir",
  "-o",
  "--overlay",
  "-S",
  "--scratch",
  "--security",
  "--hostname",
  "--network",
  "--network-args",
  "--dns",
  "--fusemount",
  "--drop-caps",
  "--add-caps",
  "--app",
  "--no-mount",
  "--apply-cgroups",
  "--cpus",
  "--memory",
  "--nv-ccli",
]);

/** `enroot import` options that take a separate value. */
const ENROOT_IMPORT_VALUED = new Set(["-o", "--output", "-a", "--arch"]);

/** docker/podman run options that take a separate value. */
const DOCKER_VALUED = new Set([
  "-v",
  "--volume",
  "-e",
  "--env",
  "--env-file",
  "--name",
  "-w",
  "--workdir",
  "--gpus",
  "--shm-size",
  "-p",
  "--publish",
  "--ipc",
  "--network",
  "--net",
  "--entrypoint",
  "-u",
  "--user",
  "--mount",
  "--runtime",
  "--cpus",
  "-m",
  "--memory",
  "--ulimit",
  "--device",
  "--cap-add",
  "--cap-drop",
  "--security-opt",
  "-l",
  "--label",
  "-h",
  "--hostname",
  "--add-host",
  "--pull",
  "--platform",
  "--restart",
  "--log-driver",
  "--tmpfs",
  "--cidfile",
  "--pid",
  "--userns",
  "--group-add",
]);

/**
 * The registry image a container reference names, in `docker pull` form, or undefined for files
 * and non-OCI sources. Enroot/pyxis spell the registry with `#` (`nvcr.io#nvidia/pytorch:24.01-py3`)
 * and may carry credentials (`user@registry#image`).
 */
export function registryImage(ref: string, schemeless: boolean): string | undefined {
  let rest: string;
  if (ref.startsWith("docker://")) rest = ref.slice("docker://".length);
  else if (!schemeless || ref.includes("://")) return undefined;
  else rest = ref;
  if (rest === "" || /^[./~$]|\.(?:sif|simg|sqsh|squashfs|img|tar)$/.test(rest)) return undefined;
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    const at = rest.lastIndexOf("@", hash);
    rest = `${rest.slice(at + 1, hash)}/${rest.slice(hash + 1)}`;
  }
  return /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(rest) ? rest : undefined;
}

/** A container launcher as the body spells it; pyxis is enroot under srun, oci is srun's `--container`. */
export type ContainerLauncher = Runtime | "podman" | "shifter" | "pyxis" | "oci";

const FACT_RUNTIME: Readonly<Record<ContainerLauncher, Runtime | undefined>> = {
  singularity: "singularity",
  apptainer: "apptainer",
  docker: "docker",
  podman: "docker",
  enroot: "enroot",
  pyxis: "enroot",
  shifter: undefined,
  oci: undefined,
};

function containerMessage(ctx: BodyContext, launcher: ContainerLauncher, shown: string): string {
  switch (launcher) {
    case "docker":
      return ctx.options.hasImage
        ? `the task's script runs inside its image's container, where there is no docker: ${code(shown)} will fail`
        : `${code(shown)} runs on the instance host, where docker is usually but not always installed`;
    case "pyxis":
      return `pyxis/enroot is not installed on the instance: the srun shim ignores ${code(shown)} and runs the program outside any container`;
    case "oci":
      return `the srun shim has no OCI container support: it ignores ${code(shown)} and runs the program outside any container`;
    default:
      return `${launcher} is not installed on the instance: ${code(shown)} will fail (command not found)`;
  }
}

/**
 * Reports one container invocation at `span`: `shown` is the command as written, `imageRef` the
 * container reference it names, `image` that reference as a registry image (when it is one) and
 * `program` what runs inside.
 */
export function reportContainer(
  ctx: BodyContext,
  launcher: ContainerLauncher,
  span: Span,
  shown: string,
  imageRef: string | undefined,
  image: string | undefined,
  program: string | undefined,
): void {
  const runtime = FACT_RUNTIME[launcher];
  if (runtime !== undefined) ctx.facts.containers.push({ runtime, span });
  const run = program ? `, and run ${code(program)} directly` : "";
  let suggestion: string;
  if (ctx.options.hasImage)
    suggestion = `the task already has an image: make it the one this command needs${run}`;
  else if (image !== undefined) suggestion = `make ${code(image)} the task's \`image\`${run}`;
  else if (imageRef !== undefined) {
    suggestion = `${code(imageRef)} is not a registry image: push the image it was built from to a registry and make that the task's \`image\`${run}`;
  } else suggestion = `make the container's image the task's \`image\`${run}`;
  const quiet = launcher === "docker" && !ctx.options.hasImage;
  const fails = !quiet && launcher !== "pyxis" && launcher !== "oci";
  if (image !== undefined && !ctx.options.hasImage) ctx.chooseImage(image, code(shown), span);
  ctx.diagnostics.push(
    diagnostic("SBATCH034", containerMessage(ctx, launcher, shown), span, {
      severity: quiet ? "info" : "warning",
      notes: fails ? ctx.failureNotes() : [],
      suggestions: [{ message: suggestion }],
    }),
  );
}

/** The first operand after `from`, skipping options and the values of `valued` options. */
function operand(cmd: ShellCommand, from: number, valued: ReadonlySet<string>): number {
  let j = from;
  while (j < cmd.count) {
    const w = cmd.value(j);
    if (!w.startsWith("-") || w === "-") return j;
    j += valued.has(w) ? 2 : 1;
  }
  return cmd.count;
}

/** `singularity …` / `apptainer …` at word `i`. */
export function checkSingularity(ctx: BodyContext, cmd: ShellCommand, i: number, name: string): void {
  const runtime: Runtime = name === "apptainer" ? "apptainer" : "singularity";
  const j = firstOperand(cmd, i + 1);
  const sub = j < cmd.count ? cmd.value(j) : "";
  let imageRef: string | undefined;
  let program: string | undefined;
  let shownEnd = Math.min(cmd.count, j + 1);
  if (sub === "exec" || sub === "run" || sub === "shell" || sub === "test") {
    const k = operand(cmd, j + 1, SINGULARITY_VALUED);
    if (k < cmd.count) {
      imageRef = cmd.value(k);
      shownEnd = k + 1;
      if (k + 1 < cmd.count) program = commandText(cmd, k + 1);
    }
  } else if (sub === "pull" || sub === "build") {
    const k = operand(cmd, j + 1, SINGULARITY_VALUED);
    const last = cmd.count - 1;
    if (last > k) imageRef = cmd.value(last);
    shownEnd = cmd.count;
  }
  const image = imageRef === undefined ? undefined : registryImage(imageRef, false);
  reportContainer(ctx, runtime, wordSpan(cmd, i), commandText(cmd, i, shownEnd), imageRef, image, program);
}

/** `enroot …` at word `i`. */
export function checkEnroot(ctx: BodyContext, cmd: ShellCommand, i: number): void {
  const j = firstOperand(cmd, i + 1);
  const sub = j < cmd.count ? cmd.value(j) : "";
  let imageRef: string | undefined;
  if (sub === "import") {
    const k = operand(cmd, j + 1, ENROOT_IMPORT_VALUED);
    if (k < cmd.count) imageRef = cmd.value(k);
  }
  const image = imageRef === undefined ? undefined : registryImage(imageRef, false);
  const shown = commandText(cmd, i, Math.min(cmd.count, j + 2));
  reportContainer(ctx, "enroot", wordSpan(cmd, i), shown, imageRef, image, undefined);
}

/** `docker …` / `podman …` at word `i` (only `run`/`exec`-like use matters; others are reported too). */
export function checkDocker(ctx: BodyContext, cmd: ShellCommand, i: number, name: string): void {
  const isPodman = name === "podman";
  const j = firstOperand(cmd, i + 1);
  const sub = j < cmd.count ? cmd.value(j) : "";
  let imageRef: string | undefined;
  let program: string | undefined;
  let shownEnd = Math.min(cmd.count, j + 1);
  if (sub === "run" || sub === "create") {
    const k = operand(cmd, j + 1, DOCKER_VALUED);
    if (k < cmd.count) {
      imageRef = cmd.value(k);
      shownEnd = k + 1;
      if (k + 1 < cmd.count) program = commandText(cmd, k + 1);
    }
  }
  const image = imageRef === undefined ? undefined : registryImage(imageRef, true);
  const shown = commandText(cmd, i, shownEnd);
  reportContainer(ctx, isPodman ? "podman" : "docker", wordSpan(cmd, i), shown, imageRef, image, program);
}

/** `shifter …` (NERSC) at word `i`. */
export function checkShifter(ctx: BodyContext, cmd: ShellCommand, i: number): void {
  let imageRef: string | undefined;
  let program: string | undefined;
  for (let k = i + 1; k < cmd.count; k++) {
    const w = cmd.value(k);
    if (w.startsWith("--image=")) imageRef = w.slice("--image=".length);
    else if (w === "--image" && k + 1 < cmd.count) imageRef = cmd.value(++k);
    else if (!w.startsWith("-")) {
      program = commandText(cmd, k);
      break;
    }
  }
  const ref = imageRef?.replace(/^(?:docker|custom):/, "");
  const image = ref === undefined ? undefined : registryImage(ref, true);
  reportContainer(ctx, "shifter", wordSpan(cmd, i), commandText(cmd, i, i + 2), imageRef, image, program);
}
