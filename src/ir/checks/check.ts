/**
 * The shape of a TaskConfig rule. Rules run on the raw task (before or despite schema errors), so
 * they must guard every type themselves; that way one run reports every problem of a file.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.ts";
import type { SpanMap } from "../span-map.ts";

export type RawTask = Readonly<Record<string, unknown>>;

/** A rule: inspects the raw task, returns diagnostics at the spans of what it is about. */
export type Check = (task: RawTask, spans: SpanMap) => Diagnostic[];

/** Field is present (a frontend writes only keys the user wrote; null counts as written). */
export function has(task: RawTask, field: string): boolean {
  return Object.hasOwn(task, field) && task[field] !== undefined;
}
