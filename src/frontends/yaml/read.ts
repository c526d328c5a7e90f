/**
 * Reads Flow YAML (YAML 1.2, as the `yaml` package parses it) into plain data plus a span map,
 * without interpreting any field. Guarantees:
 * - syntax errors, duplicate keys, several documents, non-mapping roots and unsupported node kinds
 *   are diagnostics at their exact span, never exceptions;
 * - `env` values keep their source text (`1.10` stays "1.10", `true` stays "true");
 * - YAML 1.1 booleans (`yes`, `on`, …; PyYAML, which the Python Flow SDK used, read them as booleans)
 *   are warned about; in the boolean fields they mean what PyYAML made of them.
 */
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseAllDocuments,
  Scalar,
} from "yaml";
import { type Diagnostic, diagnostic } from "../../diagnostics/diagnostic.ts";
import type { SpanEntry, SpanMap } from "../../ir/span-map.ts";
import { pathKey } from "../../ir/span-map.ts";
import type { SourceFile, Span } from "../../source/source-file.ts";

export interface YamlReadResult {
  /** The document as plain data; undefined when it could not be read at all. */
  readonly data: unknown;
  readonly spans: SpanMap;
  readonly diagnostics: readonly Diagnostic[];
}

/** PyYAML's YAML 1.1 spellings of true and false (YAML 1.2's `true`/`false` are booleans already). */
export const YAML11_TRUE_WORDS: readonly string[] = ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"];
export const YAML11_FALSE_WORDS: readonly string[] = ["n", "N", "no", "No", "NO", "off", "Off", "OFF"];
const YAML11_BOOL = new Set([...YAML11_TRUE_WORDS, ...YAML11_FALSE_WORDS]);
const YAML11_TRUE = new Set(YAML11_TRUE_WORDS);
/** Fields whose value is a boolean: there a YAML 1.1 spelling means what PyYAML made of it. */
const BOOLEAN_FIELDS = new Set(["upload_code", "auto_terminate"]);

function rangeSpan(node: { range?: [number, number, number] | null } | null | undefined): Span | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

/**
 * Bounds on what a document may expand to. A task is a few dozen values a few levels deep; the
 * bounds stop hostile documents — alias bombs ("billion laughs") and runaway nesting — with one
 * diagnostic instead of exhausting memory or the stack.
 */
export const MAX_YAML_NODES = 100_000;
export const MAX_YAML_DEPTH = 64;

class Reader {
  readonly spans = new Map<string, SpanEntry>();
  readonly diagnostics: Diagnostic[] = [];
  readonly file: SourceFile;
  /** Nodes converted so far (aliases count every time they are expanded). */
  nodes = 0;
  /** Set once a bound is hit: conversion stops and the document is not validated. */
  exceeded = false;
  constructor(file: SourceFile) {
    this.file = file;
  }

  private tooLarge(node: unknown, message: string): null {
    if (!this.exceeded) {
      this.exceeded = true;
      this.diagnostics.push(
        diagnostic("YAML006", message, rangeSpan(node as never), {
          suggestions: [{ message: "a Flow task is a small mapping: write the values out" }],
        }),
      );
    }
    return null;
  }

  record(path: readonly PropertyKey[], key: Span | undefined, value: Span | undefined) {
    const v = value ?? key;
    if (v) this.spans.set(pathKey(path), key ? { key, value: v } : { value: v });
  }

  /** Converts a node; `path` is its IR path (used for spans and for the env/boolean rules). */
  convert(node: unknown, path: readonly PropertyKey[], doc: Document): unknown {
    if (node === null || node === undefined || this.exceeded) return null;
    if (++this.nodes > MAX_YAML_NODES) {
      return this.tooLarge(
        node,
        `the document expands to more than ${MAX_YAML_NODES} values (through aliases?)`,
      );
    }
    if (path.length > MAX_YAML_DEPTH) {
      return this.tooLarge(node, `values nested more than ${MAX_YAML_DEPTH} levels deep`);
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      return target ? this.convert(target, path, doc) : null;
    }
    if (isScalar(node)) return this.scalar(node, path);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const firstSeen = new Map<string, Span | undefined>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const keyNode = item.key as Node | null;
        const keySpan = rangeSpan(keyNode as never);
        if (keyNode !== null && !isScalar(keyNode)) {
          this.diagnostics.push(
            diagnostic("YAML006", "only plain keys are supported (this key is a collection)", keySpan),
          );
          continue;
        }
        const key = keyNode === null ? "" : String(keyNode.value);
        if (firstSeen.has(key)) {
          this.diagnostics.push(
            diagnostic("YAML002", `duplicate key \`${key}\``, keySpan, {
              notes: [{ message: "first defined here", span: firstSeen.get(key) }],
              suggestions: [{ message: "remove one of them: YAML keys must be unique" }],
            }),
          );
          continue;
        }
        firstSeen.set(key, keySpan);
        const childPath = [...path, key];
        const valueNode = item.value as Node | null;
        const valueSpan = rangeSpan(valueNode as never);
        // An empty value (`KEY:`) has a zero-width span after the colon: point at the key instead.
        this.record(childPath, keySpan, valueSpan && valueSpan.end > valueSpan.start ? valueSpan : keySpan);
        out[key] = this.convert(valueNode, childPath, doc);
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        const childPath = [...path, i];
        this.record(childPath, undefined, rangeSpan(item as never));
        return this.convert(item, childPath, doc);
      });
    }
    return null;
  }

  scalar(node: Scalar, path: readonly PropertyKey[]): unknown {
    const span = rangeSpan(node);
    const source = span ? this.file.text.slice(span.start, span.end) : String(node.value);
    const plain = node.type === Scalar.PLAIN;
    const inEnv = path.length === 2 && path[0] === "env";
    if (plain && YAML11_BOOL.has(source)) {
      const field = String(path[path.length - 1]);
      if (path.length === 1 && BOOLEAN_FIELDS.has(field)) {
        const meaning = YAML11_TRUE.has(source);
        this.diagnostics.push(
          diagnostic("YAML003", `\`${source}\` is a YAML 1.1 boolean: read as \`${meaning}\``, span, {
            notes: [
              { message: "YAML 1.2 reads it as a string; PyYAML (the Python Flow SDK) read it as a boolean" },
            ],
            suggestions: [{ message: `write \`${meaning}\``, replacement: String(meaning) }],
          }),
        );
        return meaning;
      }
      this.diagnostics.push(
        diagnostic("YAML003", `\`${source}\` is read as the string "${source}", not a boolean`, span, {
          notes: [
            { message: "YAML 1.2 reads it as a string; PyYAML (the Python Flow SDK) read it as a boolean" },
          ],
          suggestions: [
            {
              message: `quote it (\`"${source}"\`) to keep the string, or write \`true\`/\`false\``,
              replacement: `"${source}"`,
            },
          ],
        }),
      );
      return source;
    }
    if (inEnv && plain && node.value !== null) return source;
    return node.value;
  }
}

/** The parser's message without its position suffix (we render positions ourselves). */
function yamlErrorMessage(message: string): string {
  if (/Maximum call stack/i.test(message))
    return `values nested too deeply to read (at most ${MAX_YAML_DEPTH} levels make sense)`;
  return message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, "");
}

/** Reads a Flow YAML source file into plain data, spans and diagnostics. Never throws. */
export function readYaml(file: SourceFile): YamlReadResult {
  const reader = new Reader(file);
  const docs = parseAllDocuments(file.text, { prettyErrors: false, uniqueKeys: false, version: "1.2" });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0) {
    // No document at all (an empty file, or an EmptyStream of comments only).
    reader.diagnostics.push(
      diagnostic(
        "FLOW003",
        "the file is empty",
        { start: 0, end: 0 },
        {
          suggestions: [
            { message: "a Flow task is a mapping, e.g. `name: my-task` and `instance_type: 8xh100`" },
          ],
        },
      ),
    );
    return { data: undefined, spans: reader.spans, diagnostics: reader.diagnostics };
  }
  for (const doc of list) {
    for (const error of doc.errors) {
      reader.diagnostics.push(
        diagnostic("YAML001", yamlErrorMessage(error.message), {
          start: error.pos[0],
          end: Math.max(error.pos[1], error.pos[0]),
        }),
      );
    }
    for (const warning of doc.warnings) {
      reader.diagnostics.push(
        diagnostic(
          "YAML006",
          warning.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, ""),
          {
            start: warning.pos[0],
            end: warning.pos[1],
          },
          { severity: "warning" },
        ),
      );
    }
  }
  for (const extra of list.slice(1)) {
    const start = extra.range?.[0] ?? 0;
    reader.diagnostics.push(
      diagnostic(
        "YAML005",
        "a Flow YAML file holds one task; this is a second YAML document",
        { start, end: start + 3 },
        {
          suggestions: [{ message: "put each task in its own file" }],
        },
      ),
    );
  }
  const doc = list[0];
  if (!doc || reader.diagnostics.some((d) => d.code === "YAML001")) {
    return { data: undefined, spans: reader.spans, diagnostics: reader.diagnostics };
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    reader.diagnostics.push(
      diagnostic(
        "FLOW003",
        "the file holds no task",
        { start: 0, end: 0 },
        {
          suggestions: [
            { message: "a Flow task is a mapping, e.g. `name: my-task` and `instance_type: 8xh100`" },
          ],
        },
      ),
    );
    return { data: undefined, spans: reader.spans, diagnostics: reader.diagnostics };
  }
  if (!isMap(contents)) {
    reader.diagnostics.push(
      diagnostic(
        "YAML004",
        "a Flow task is a mapping of field names to values",
        rangeSpan(contents as never),
        {
          suggestions: [{ message: "start with `name: my-task` on its own line" }],
        },
      ),
    );
    return { data: undefined, spans: reader.spans, diagnostics: reader.diagnostics };
  }
  const rootSpan = rangeSpan(contents as never);
  if (rootSpan) reader.spans.set("", { value: { start: rootSpan.start, end: rootSpan.start } });
  const data = reader.convert(contents, [], doc);
  return { data: reader.exceeded ? undefined : data, spans: reader.spans, diagnostics: reader.diagnostics };
}
