/**
 * Rule: the instance can tell a task's volumes apart. A block volume is found as the disk
 * `/dev/disk/by-id/virtio-<name, first 36 characters>` (the platform's serial is cut there), so
 * two volumes whose names share their first 36 characters would both find the same disk (unless
 * both are file shares, found as `/mnt/<name>`). The same volume listed twice — the same `name`
 * or the same `volume_id` — would be mounted twice. Each is an error at the second one.
 */
import { type Diagnostic, diagnostic } from "../../diagnostics/diagnostic.ts";
import type { Span } from "../../source/source-file.ts";
import { isRecord } from "../describe.ts";
import { spanAt } from "../span-map.ts";
import type { Check } from "./check.ts";

/** How many characters of a volume name the disk's by-id path keeps. */
export const DISK_SERIAL_CHARS = 36;

export const checkVolumeNames: Check = (task, spans) => {
  if (!Array.isArray(task.volumes)) return [];
  const out: Diagnostic[] = [];
  const names = new Map<string, Span | undefined>();
  const prefixes = new Map<string, { name: string; file: boolean; span: Span | undefined }>();
  const ids = new Map<string, Span | undefined>();
  task.volumes.forEach((v, i) => {
    if (!isRecord(v)) return;
    if (typeof v.volume_id === "string") {
      const at = spanAt(spans, ["volumes", i, "volume_id"]);
      if (ids.has(v.volume_id)) {
        out.push(
          diagnostic("IR019", `volume \`${v.volume_id}\` is listed twice`, at, {
            notes: [{ message: "first listed here", span: ids.get(v.volume_id) }],
            suggestions: [{ message: "list each volume once" }],
          }),
        );
      } else ids.set(v.volume_id, at);
    }
    if (typeof v.name !== "string") return;
    const at = spanAt(spans, ["volumes", i, "name"]);
    if (names.has(v.name)) {
      out.push(
        diagnostic("IR019", `volume \`${v.name}\` is listed twice`, at, {
          notes: [{ message: "first listed here", span: names.get(v.name) }],
          suggestions: [{ message: "list each volume once, or give the second its own name" }],
        }),
      );
      return;
    }
    names.set(v.name, at);
    const file = v.interface === "file";
    const prefix = v.name.slice(0, DISK_SERIAL_CHARS);
    const alike = prefixes.get(prefix);
    if (alike !== undefined && !(file && alike.file)) {
      out.push(
        diagnostic(
          "IR020",
          `volumes \`${alike.name}\` and \`${v.name}\` share their first ${DISK_SERIAL_CHARS} characters: the instance finds a disk by only those (/dev/disk/by-id/virtio-${prefix}), so it cannot tell them apart`,
          at,
          {
            notes: [{ message: `\`${alike.name}\` is here`, span: alike.span }],
            suggestions: [
              { message: `make the names differ within their first ${DISK_SERIAL_CHARS} characters` },
            ],
          },
        ),
      );
    } else if (alike === undefined) prefixes.set(prefix, { name: v.name, file, span: at });
  });
  return out;
};
