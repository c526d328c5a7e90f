/**
 * Rule: every path where something appears on the instance — volume `mount_path`, data mount
 * `target`, `working_dir` — is absolute, and no two mounts share a path (the later one would hide
 * the earlier one).
 */
import { type Diagnostic, diagnostic } from "../../diagnostics/diagnostic.ts";
import type { Span } from "../../source/source-file.ts";
import { isRecord } from "../describe.ts";
import { spanAt } from "../span-map.ts";
import type { Check } from "./check.ts";

function normalize(path: string): string {
  const trimmed = path.replace(/\/+/g, "/");
  return trimmed.length > 1 ? trimmed.replace(/\/$/, "") : trimmed;
}

export const checkMountPaths: Check = (task, spans) => {
  const out: Diagnostic[] = [];
  const seen = new Map<string, Span | undefined>();
  const visit = (value: unknown, path: PropertyKey[]) => {
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
    const key = normalize(value);
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
      if (isRecord(v)) visit(v.mount_path, ["volumes", i, "mount_path"]);
    });
  }
  if (Array.isArray(task.data_mounts)) {
    task.data_mounts.forEach((m, i) => {
      if (isRecord(m)) visit(m.target, ["data_mounts", i, "target"]);
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
  return out;
};
