/**
 * Where each part of a lowered TaskConfig came from. A frontend records, for every IR path it
 * produced (`"volumes.0.mount_path"`), the span of the key and of the value in its source, so
 * that validation and checks report problems at the user's text rather than at the IR.
 */
import type { Span } from "../source/source-file.ts";

/** The source of one IR value: its key (when it had one) and its value. */
export interface SpanEntry {
  readonly key?: Span;
  readonly value: Span;
}

/** IR path (segments joined by ".") → source spans. The root path is "". */
export type SpanMap = ReadonlyMap<string, SpanEntry>;

/** The map key of an IR path. */
export function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * The best span for a problem at `path`: the value's span (or the key's, with `preferKey`), else
 * the nearest ancestor that has one. Undefined only when nothing (not even the root) is recorded.
 */
export function spanAt(spans: SpanMap, path: readonly PropertyKey[], preferKey = false): Span | undefined {
  for (let n = path.length; n >= 0; n--) {
    const entry = spans.get(pathKey(path.slice(0, n)));
    if (!entry) continue;
    if (n === path.length && preferKey && entry.key) return entry.key;
    // For an ancestor, point at its key when it has one: a one-line span reads better than a block.
    return n < path.length ? (entry.key ?? entry.value) : entry.value;
  }
  return undefined;
}
