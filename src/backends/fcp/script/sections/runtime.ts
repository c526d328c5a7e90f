/**
 * The container runtime, for a task with an `image` (fcp-api §8.3): Docker and the NVIDIA
 * container toolkit are usually in the platform's base image, so each is installed only when
 * missing — Docker from Ubuntu's `docker.io`, the toolkit from NVIDIA's apt repository, then
 * registered with Docker. apt may be locked right after boot by unattended-upgrades and the
 * apt-daily services: they are stopped (ignoring failures; a running one finishes the package it
 * is on), every `apt-get` waits up to ten minutes for the dpkg lock (`DPkg::Lock::Timeout`)
 * instead of failing, and `apt-get update`, whose lists lock that option does not cover, is tried
 * up to ten times, 15 s apart. The image is then pulled with retries and backoff, and `docker`'s
 * path resolved for the run section (`../programs.ts`).
 *
 * This section comes before the env section, so the task's variables (a `VERSION`, a
 * `DOCKER_HOST` meant for the job) cannot steer the installation or the pull.
 */
import type { TaskConfig } from "../../../../ir/task-config.ts";
import { resolveLine } from "../programs.ts";
import { shellQuote } from "../quote.ts";
import { ROOT } from "../root.ts";
import { type ScriptSection, section } from "../section.ts";

/** How many times `docker pull` is tried before the task fails. */
const PULL_ATTEMPTS = 5;

/** Seconds each apt-get waits for the dpkg lock. */
const APT_LOCK_TIMEOUT_SECONDS = 600;

/** How many times `apt-get update` is tried (its lists lock cannot be waited for), and the pause between. */
const APT_UPDATE_TRIES = 10;
const APT_UPDATE_PAUSE_SECONDS = 15;

const KEYRING = "/usr/share/keyrings/nvidia-container-toolkit.gpg";
const NVIDIA_REPO = "https://nvidia.github.io/libnvidia-container";

/** The runtime section, or undefined when the task runs on the host. */
export function runtimeSection(task: TaskConfig): ScriptSection | undefined {
  if (task.image === undefined) return undefined;
  return section("runtime", [
    // stop what holds apt's locks at first boot; `update` is tried again, as its lists lock
    // cannot be waited for with DPkg::Lock::Timeout
    "flow_apt(){",
    "systemctl stop unattended-upgrades apt-daily.service apt-daily-upgrade.service 2>/dev/null || :",
    `local i; for i in $(seq ${APT_UPDATE_TRIES}); do`,
    `DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_SECONDS} "$@" && return`,
    `[ "$1" = update ] && [ "$i" -lt ${APT_UPDATE_TRIES} ] || return; echo "flow: apt-get update failed; again in ${APT_UPDATE_PAUSE_SECONDS} s"; sleep ${APT_UPDATE_PAUSE_SECONDS}`,
    "done; }",
    "if ! command -v docker >/dev/null; then flow_apt update; flow_apt install -y docker.io; fi",
    "if ! command -v nvidia-ctk >/dev/null; then",
    `curl -fsSL --retry 5 --retry-connrefused ${NVIDIA_REPO}/gpgkey | gpg --dearmor --yes -o ${ROOT}${KEYRING}`,
    `echo 'deb [signed-by=${KEYRING}] ${NVIDIA_REPO}/stable/deb/$(ARCH) /' >${ROOT}/etc/apt/sources.list.d/nvidia-container-toolkit.list`,
    "flow_apt update; flow_apt install -y nvidia-container-toolkit",
    "nvidia-ctk runtime configure --runtime=docker; systemctl restart docker",
    "fi",
    `for i in ${Array.from({ length: PULL_ATTEMPTS }, (_, n) => n + 1).join(" ")}; do`,
    `  docker pull ${shellQuote(task.image)} && break`,
    `  [ "$i" -lt ${PULL_ATTEMPTS} ] || exit 1`,
    "  sleep $((i * 10))",
    "done",
    resolveLine("docker"),
  ]);
}
