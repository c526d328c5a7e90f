/**
 * Rule: every path where something appears on the instance — volume `mount_path`, data mount
 * `target`, `working_dir` — is absolute, and no two mounts share a path (the later one would hide
 * the earlier one).
 *
 * And each is usable (IR021): a mount path holds no `:` (it would split `docker run -v a:b`) nor
 * `,`, and is not at or under a place the system needs — a volume there would hide what the
 * instance runs on: /etc, /usr, /bin, /sbin, /lib*, /boot, /dev, /proc, /sys, /run, flow's own
 * /var/lib/flow and /var/log/flow, /home (the login user's authorized_keys: SSH and the code
 * upload would stop working), /root and the scratch disk /mnt/local — nor exactly at /, /var,
 * /var/lib, /var/log or /mnt. A `working_dir` is created, gets the code unpacked into it and, with
 * an image, is mounted into the container at its own path: it must not be at or under the
 * system's own directories either (/usr/src/app and /home/… stay fine), nor hold `:` with an image.
 */
import { type Diagnostic, diagnostic } from "../../diagnostics/diagnostic.ts";
import type { Span } from "../../source/source-file.ts";
import { isRecord } from "../describe.ts";
import { spanAt } from "../span-map.ts";
import type { Check } from "./check.ts";

/** An absolute path with `.`, `..` and repeated slashes resolved, as the kernel reads it. */
function resolved(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** Mount paths refused at these places and anywhere under them. */
const MOUNT_UNDER =
  /^\/(etc|usr|bin|sbin|lib(32|64|x32)?|boot|dev|proc|sys|run|var\/run|var\/lock|var\/lib\/flow|var\/log\/flow|home|root|mnt\/local)(\/|$)/;
/** Mount paths refused exactly at these places (a volume there would hide all below). */
const MOUNT_AT = /^\/(var|var\/lib|var\/log|mnt)?$/;
/** Working directories refused at and under these places (code unpacked there overwrites the system). */
const WORKDIR_UNDER =
  /^\/(etc|bin|sbin|lib(32|64|x32)?|usr\/(bin|sbin|lib(32|64|x32)?|share|include)|boot|dev|proc|sys|run|var\/lib\/flow|var\/log\/flow)(\/|$)/;
/** Working directories refused exactly at these places. */
const WORKDIR_AT = /^\/(usr|usr\/local|var|var\/lib|var\/log|home|root|mnt)?$/;

/** Why `path` (absolute) cannot be a mount path, or undefined when it can. */
function unsafeMount(path: string): string | undefined {
  if (path.includes(":")) return "a `:` would split `docker run -v` (source:target:options)";
  if (path.includes(",")) return "a `,` would split mount options";
  const real = resolved(path);
  if (MOUNT_AT.test(real) || MOUNT_UNDER.test(real)) {
    return real === "/home" || real.startsWith("/home/")
      ? `\`${real}\` would hide the login user's home and its authorized_keys: SSH and the code upload would stop working`
      : `\`${real}\` is a place the instance itself needs; a mount there would hide what is below it`;
  }
  return undefined;
}

export const checkMountPaths: Check = (task, spans) => {
  const out: Diagnostic[] = [];
  const seen = new Map<string, Span | undefined>();
  const visit = (value: unknown, path: PropertyKey[], suggestion: string) => {
    if (typeof value !== "string") return;
    const at = spanAt(spans, path);
    if (!value.startsWith("/")) {
      out.push(
        diagnostic("IR010", `mount path \`${value}\` is not absolute`, at, {
          suggestions: [
            {
              message: `use \`/${value.replace(/^\.?\/*/, "")}\``,
              replacement: `/${value.replace(/^\.?\/*/, "")}`,
            },
          ],
        }),
      );
      return;
    }
    const unsafe = unsafeMount(value);
    if (unsafe !== undefined) {
      out.push(
        diagnostic("IR021", `mount path \`${value}\` cannot be used: ${unsafe}`, at, {
          suggestions: [{ message: `mount it at \`${suggestion}\` instead`, replacement: suggestion }],
        }),
      );
    }
    // the same place however it is written (`/data`, `/data/.`, `/x/../data`)
    const key = resolved(value);
    if (seen.has(key)) {
      out.push(
        diagnostic("IR011", `mount path \`${value}\` is used twice`, at, {
          notes: [{ message: "first used here", span: seen.get(key) }],
          suggestions: [{ message: "give each volume and data mount its own path" }],
        }),
      );
    } else seen.set(key, at);
  };
  if (Array.isArray(task.volumes)) {
    task.volumes.forEach((v, i) => {
      if (isRecord(v)) {
        const name = typeof v.name === "string" ? v.name : "";
        visit(v.mount_path, ["volumes", i, "mount_path"], name === "" ? "/data" : `/volumes/${name}`);
      }
    });
  }
  if (Array.isArray(task.data_mounts)) {
    task.data_mounts.forEach((m, i) => {
      if (isRecord(m)) visit(m.target, ["data_mounts", i, "target"], "/data");
    });
  }
  if (typeof task.working_dir === "string" && !task.working_dir.startsWith("/")) {
    out.push(
      diagnostic(
        "IR005",
        `\`working_dir\` must be an absolute path, not \`${task.working_dir}\``,
        spanAt(spans, ["working_dir"]),
        {
          suggestions: [{ message: "start it with `/`, e.g. `/workspace`" }],
        },
      ),
    );
  }
  if (typeof task.working_dir === "string" && task.working_dir.startsWith("/")) {
    const real = resolved(task.working_dir);
    const why =
      task.working_dir.includes(":") && typeof task.image === "string"
        ? "a `:` would split `docker run -v` (source:target:options)"
        : WORKDIR_AT.test(real) || WORKDIR_UNDER.test(real)
          ? `\`${real}\` is one of the system's own directories: the code would be unpacked into it and, with an image, it would hide the container's`
          : undefined;
    if (why !== undefined) {
      out.push(
        diagnostic(
          "IR021",
          `\`working_dir\` \`${task.working_dir}\` cannot be used: ${why}`,
          spanAt(spans, ["working_dir"]),
          {
            suggestions: [
              { message: "use a directory of its own, e.g. `/workspace`", replacement: "/workspace" },
            ],
          },
        ),
      );
    }
  }
  return out;
};
