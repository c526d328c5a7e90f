/**
 * The task's persistent volumes, mounted before anything else runs (fcp-api §8.4):
 *
 * - a **block** volume is the virtio disk `/dev/disk/by-id/virtio-<name, first 36 characters>`
 *   (never "the next disk in `lsblk`", which the V1 SDK used and which mixes disks up); it is
 *   formatted ext4 only when the low-level probe `blkid -p` finds nothing on it (status 2) and
 *   `lsblk` shows no filesystem or partition table either — anything else (a signature, an
 *   ambivalent probe, status 8, or an error) stops the script rather than risk formatting data —
 *   then mounted, with an fstab line marked `nofail` so a missing disk never blocks a reboot;
 * - a **file** share is mounted by the platform at `/mnt/<name>` with an fstab entry; the entry
 *   is re-pointed at the mount path and the share remounted there (as SkyPilot does).
 *
 * /etc/fstab is never written in place: each change is a new file beside it, renamed over it
 * (`mv -f`), so a failure half-way cannot leave it truncated; the first change keeps the original
 * as `/etc/fstab.flow-bak`.
 *
 * - an **existing** volume (`volume_id`, or `name` alone) may be either: the script takes
 *   whichever appears, the disk or the share.
 *
 * Devices and shares may appear a little after boot: each is waited for, up to five minutes,
 * then the script stops with a message naming the volume. The mount path is `mount_path`, default
 * `/volumes/<name>`. The ephemeral NVMe the platform mounts at `/mnt/local` (wiped on
 * preemption, relocation and pause) is noted in the log. A volume without a name cannot be found
 * on the instance; the backend warns about it (FCP012) and this section leaves it out.
 */
import { DISK_SERIAL_CHARS } from "../../../../ir/checks/volume-names.ts";
import type { TaskConfig, VolumeSpec } from "../../../../ir/task-config.ts";
import { shellQuote } from "../quote.ts";
import { ROOT } from "../root.ts";
import { type ScriptSection, section } from "../section.ts";

/** How long the script waits for a volume's disk or share: 60 tries, 5 s apart. */
const VOLUME_WAIT_TRIES = 60;

/** The kind of a volume as the script mounts it: block, file share, or whichever appears. */
type VolumeKind = "block" | "file" | "either";

/** A volume the script mounts. */
export interface VolumeMount {
  readonly kind: VolumeKind;
  readonly name: string;
  readonly mountPath: string;
}

/** The mount path of a volume: `mount_path`, else /volumes/<name>; undefined without either. */
function volumeMountPath(volume: VolumeSpec): string | undefined {
  return volume.mount_path ?? (volume.name === undefined ? undefined : `/volumes/${volume.name}`);
}

/** The volumes the script mounts, in task order; a volume without a name is not among them. */
export function volumeMounts(task: TaskConfig): VolumeMount[] {
  const out: VolumeMount[] = [];
  for (const volume of task.volumes ?? []) {
    const mountPath = volumeMountPath(volume);
    if (volume.name === undefined || mountPath === undefined) continue;
    const existing = volume.volume_id !== undefined || volume.size_gb === undefined;
    const kind: VolumeKind =
      volume.interface === "file" ? "file" : volume.interface === "block" || !existing ? "block" : "either";
    out.push({ kind, name: volume.name, mountPath });
  }
  return out;
}

/** `path` as fstab writes it: space, tab, newline and backslash as octal escapes. */
export function fstabPath(path: string): string {
  return path.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
}

/**
 * The shell function that mounts one volume: `flow_volume [b|f|e] NAME PATH [FSTAB-PATH]`. Only
 * the branches the task's kinds need are emitted (a task with block volumes only gets no share
 * code, and its calls no kind letter).
 */
function mountFunction(kinds: ReadonlySet<VolumeKind>): string[] {
  const z = ROOT;
  const block = kinds.has("block") || kinds.has("either");
  const file = kinds.has("file") || kinds.has("either");
  const both = block && file;
  const disk = `[ -e ${z}"$d" ]`;
  const share = `mountpoint -q ${z}/mnt/"$n"`;
  const appeared = both
    ? `[ "$k" != f ] && ${disk} && k=b || { [ "$k" != b ] && ${share} && k=f; }`
    : block
      ? disk
      : share;
  // blkid -p probes the disk itself (no cache): 2 = nothing found, 8 = ambivalent, 0 = found.
  // Format only on 2 when lsblk also shows no filesystem or partition table, else stop.
  const blockLines = [
    `blkid -p ${z}"$d" >/dev/null || r=$?`,
    `if [ "$r" = 2 ] && s=$(lsblk -no FSTYPE,PTTYPE ${z}"$d") && [ -z "\${s//[[:space:]]/}" ]; then echo "flow: formatting $d"; mkfs.ext4 -q ${z}"$d"`,
    `elif [ "$r" != 0 ]; then echo "flow: volume $n: not formatting $d, it may hold data (blkid -p: $r, lsblk: \${s:-nothing})" >&2; exit 1; fi`,
    `mount ${z}"$d" "$m"`,
    `L="$d $f ext4 defaults,nofail 0 2" flow_fstab '1;END{print ENVIRON["L"]}'`,
  ];
  const fileLines = [
    `S=/mnt/$n T=$f flow_fstab '$2==ENVIRON["S"]{$2=ENVIRON["T"]}1'`,
    `umount ${z}/mnt/"$n"`,
    'mount "$m"',
  ];
  const mount = both
    ? ['if [ "$k" = b ]; then', ...blockLines, 'elif [ "$p" != "/mnt/$n" ]; then', ...fileLines, "fi"]
    : block
      ? blockLines
      : ['if [ "$p" != "/mnt/$n" ]; then', ...fileLines, "fi"];
  return [
    // /etc/fstab is rewritten whole into a file beside it and renamed over it, never truncated
    // in place; the first rewrite keeps the original as fstab.flow-bak
    `flow_fstab(){ local e=${z}/etc/fstab; [ -e "$e.flow-bak" ] || cp -p "$e" "$e.flow-bak"; cp -p "$e" "$e.flow-tmp"; awk "$1" "$e" >"$e.flow-tmp"; mv -f "$e.flow-tmp" "$e"; }`,
    "flow_volume(){",
    `local ${both ? `k=$1 n=$2 p=$3 f=\${4-$3}` : `n=$1 p=$2 f=\${3-$2}`} m=${z}$${both ? 3 : 2}${block ? ` d=/dev/disk/by-id/virtio-\${${both ? 2 : 1}:0:${DISK_SERIAL_CHARS}}` : ""} i=0${block ? " r=0 s=" : ""}`,
    `until ${appeared}; do`,
    `((++i < ${VOLUME_WAIT_TRIES})) || { echo "flow: volume $n did not appear (${[block ? "$d" : "", file ? "/mnt/$n" : ""].filter(Boolean).join(" or ")})" >&2; exit 1; }`,
    "sleep 5",
    "done",
    'mkdir -p "$m"',
    ...mount,
    'echo "flow: volume $n at $p"',
    "}",
  ];
}

const KIND_LETTER: Record<VolumeKind, string> = { block: "b", file: "f", either: "e" };

/** The volumes section, or undefined when the task mounts no volume. */
export function volumesSection(task: TaskConfig): ScriptSection | undefined {
  const mounts = volumeMounts(task);
  if (mounts.length === 0) return undefined;
  const kinds = new Set(mounts.map((v) => v.kind));
  return section("volumes", [
    ...mountFunction(kinds),
    ...mounts.map((v) => {
      const words = [
        "flow_volume",
        ...(kinds.size > 1 || kinds.has("either") ? [KIND_LETTER[v.kind]] : []),
        v.name,
        shellQuote(v.mountPath),
      ];
      const fstab = fstabPath(v.mountPath);
      if (fstab !== v.mountPath) words.push(shellQuote(fstab));
      return words.join(" ");
    }),
    'echo "flow: /mnt/local is scratch NVMe, wiped on preemption"',
  ]);
}
