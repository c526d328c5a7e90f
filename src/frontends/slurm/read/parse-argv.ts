/**
 * The directive argv parsed as sbatch parses it: GNU getopt_long in "stop at the first non-option"
 * mode over sbatch's option table (spec §5). Guarantees, beyond getopt's own reading:
 *
 * - `--long=value`, `--long value` (required arguments only), attached optional arguments, flags,
 *   `-Xvalue`, `-X value`, `-X=value` (the `=` is part of the value), clustered short flags, unique
 *   prefixes, and `--` all read exactly as getopt reads them; a value may come from the next line.
 * - Every error sbatch would stop at is a diagnostic at the word concerned: unknown (SBATCH009),
 *   ambiguous (SBATCH010), missing argument (SBATCH011), unwanted argument (SBATCH012), stray word
 *   (SBATCH013), refused spelling (SBATCH019). After a stray word sbatch applies nothing more; the
 *   remaining words are still checked, so one run reports every independent error.
 * - Early-pass options (§5.6) are reported (SBATCH018) and not applied.
 * - Placeholders left in a word are reported (SBATCH016) — except in `--wrap`'s command, which a
 *   shell would expand and which sbatch ignores in a script anyway.
 */

import { type Diagnostic, diagnostic, type Note, type Suggestion } from "../../../diagnostics/diagnostic.ts";
import { closest } from "../../../diagnostics/did-you-mean.ts";
import { lineIndexOf, type SourceFile, type Span } from "../../../source/source-file.ts";
import {
  EARLY_PASS_OPTIONS,
  NOT_ACCEPTED_SPELLINGS,
  type NotAcceptedSpelling,
  notAcceptedByLong,
  notAcceptedByShort,
  optionByLong,
  optionByShort,
  resolveLongOption,
  SBATCH_OPTIONS,
  SITE_PLUGIN_OPTIONS,
  type SlurmOptionSpec,
} from "../options.ts";
import { type Argument, prefixSpan, sourceEnd, sourceStart, suffixSpan } from "./argument.ts";
import { code } from "./code-text.ts";
import { isShellVariable } from "./fill-placeholders.ts";
import type { OptionOccurrence } from "./occurrence.ts";

/** What parsing one argv produced. */
export interface ArgvReading {
  readonly occurrences: readonly OptionOccurrence[];
  readonly diagnostics: readonly Diagnostic[];
}

const LONG_NAMES = SBATCH_OPTIONS.map((o) => o.long);
/** Names people write for an sbatch option (the "did you mean" table). */
const MISSPELLINGS: Readonly<Record<string, string>> = {
  name: "job-name",
  jobname: "job-name",
  memory: "mem",
  "mem-per-node": "mem",
  "mem-per-task": "mem-per-cpu",
  email: "mail-user",
  "email-user": "mail-user",
  "mail-types": "mail-type",
  gpu: "gpus",
  walltime: "time",
  "wall-time": "time",
  "time-limit": "time",
  timelimit: "time",
  queue: "partition",
  "core-per-task": "cpus-per-task",
  "cores-per-task": "cpus-per-task",
  "cpu-per-task": "cpus-per-task",
  "cpu-per-gpu": "cpus-per-gpu",
  "gpu-per-node": "gpus-per-node",
  "gpu-per-task": "gpus-per-task",
  "task-per-node": "ntasks-per-node",
  "ntask-per-node": "ntasks-per-node",
  ntask: "ntasks",
  node: "nodes",
  dir: "chdir",
  "working-dir": "chdir",
  cwd: "chdir",
};
/** Longer names get no "did you mean" (edit distance is quadratic; no option name is this long). */
const MAX_GUESSED_NAME = 40;
const OPTION_LIKE_VALUE = /^-(?:-|[A-Za-z])/;
const UNICODE_DASHES = /^[\u2010-\u2015\u2212]+/;
/** A directive prefix and blanks: what precedes the first word of a directive line. */
const DIRECTIVE_PREFIX = /^#(?:SBATCH|SLURM)[ \t\v\f\r]*$/;
const MAX_PREFIX = 32;
/** Filename patterns that do what a shell variable in `--output` was meant to do (spec §8.8). */
const FILENAME_PATTERN_FOR: Readonly<Record<string, string>> = {
  USER: "%u",
  SLURM_JOB_ID: "%j",
  SLURM_JOBID: "%j",
  SLURM_JOB_NAME: "%x",
  SLURM_ARRAY_JOB_ID: "%A",
  SLURM_ARRAY_TASK_ID: "%a",
};

class ArgvParser {
  readonly occurrences: OptionOccurrence[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** The option each argument is (part of) the value of, for placeholder advice. */
  private readonly roles = new Map<Argument, SlurmOptionSpec>();
  /** Arguments whose unknown/stray error the placeholder diagnostic replaces, with the reason. */
  private readonly placeholderContext = new Map<Argument, string>();
  private readonly file: SourceFile;
  private readonly argv: readonly Argument[];
  private applying: boolean;

  constructor(file: SourceFile, argv: readonly Argument[], apply: boolean) {
    this.file = file;
    this.argv = argv;
    this.applying = apply;
  }

  run(): void {
    const argv = this.argv;
    let i = 0;
    while (i < argv.length) {
      const arg = argv[i]!;
      const v = arg.value;
      if (v === "--") {
        if (i + 1 < argv.length) this.stray(i + 1, "after `--`, which ends the options");
        break;
      }
      if (v.length >= 2 && v.charCodeAt(0) === 45 /* - */) {
        i = v.charCodeAt(1) === 45 ? this.long(i) : this.shorts(i);
        continue;
      }
      i = this.stray(i, undefined);
    }
    this.reportPlaceholders();
  }

  private line(offset: number): number {
    return lineIndexOf(this.file, offset);
  }

  private add(
    spec: SlurmOptionSpec,
    written: string,
    nameSpan: Span,
    value: string | undefined,
    valueSpan: Span | undefined,
    span: Span,
  ): void {
    if (EARLY_PASS_OPTIONS.has(spec.long)) {
      const nl = this.file.text.indexOf("\n", span.start);
      this.diagnostics.push(
        diagnostic(
          "SBATCH018",
          `${code(written)} (--${spec.long}) is ignored inside a script: sbatch honours it only on its command line${spec.long === "wrap" ? "" : " or in its environment"}`,
          nl >= 0 && nl < span.end ? nameSpan : span,
        ),
      );
      return;
    }
    if (!this.applying) return;
    this.occurrences.push({
      spec,
      written,
      value,
      span,
      nameSpan,
      valueSpan,
      source: "directive",
      line: this.line(nameSpan.start),
    });
  }

  /** `--name`, `--name=value`, `--name value`. Returns the index of the next unread argument. */
  private long(i: number): number {
    const arg = this.argv[i]!;
    const v = arg.value;
    const eq = v.indexOf("=", 2);
    const name = eq < 0 ? v.slice(2) : v.slice(2, eq);
    const attached = eq < 0 ? undefined : v.slice(eq + 1);
    const nameSpan = prefixSpan(arg, eq < 0 ? v.length : eq);
    const written = `--${name}`;
    const resolution = resolveLongOption(name);
    if (resolution.kind === "unknown") return this.unknownLong(i, name, nameSpan, attached !== undefined);
    if (resolution.kind === "ambiguous") {
      const names = resolution.candidates.map((c) => `--${c.long}`);
      this.diagnostics.push(
        diagnostic(
          "SBATCH010",
          `${code(written)} is ambiguous: it abbreviates ${names.map(code).join(", ")}; sbatch rejects the script`,
          nameSpan,
          { suggestions: names.map((n) => ({ message: `write ${code(n)}`, replacement: n })) },
        ),
      );
      const allRequired = resolution.candidates.every((c) => c.arg === "required");
      return attached === undefined && allRequired ? this.skipLikelyValue(i) : i + 1;
    }
    const spec = resolution.spec;
    if (spec.arg === "none") {
      if (attached !== undefined) {
        this.diagnostics.push(
          diagnostic(
            "SBATCH012",
            `${code(`--${spec.long}`)} takes no argument, but ${code(v)} gives it ${code(attached)}; sbatch rejects the script`,
            arg.span,
            { suggestions: [{ message: `write ${code(`--${spec.long}`)}`, replacement: `--${spec.long}` }] },
          ),
        );
        return i + 1;
      }
      this.add(spec, written, nameSpan, undefined, undefined, arg.span);
      return i + 1;
    }
    if (attached !== undefined) {
      this.roles.set(arg, spec);
      this.add(spec, written, nameSpan, attached, suffixSpan(arg, eq + 1), arg.span);
      return i + 1;
    }
    if (spec.arg === "optional") {
      this.add(spec, written, nameSpan, undefined, undefined, arg.span);
      return i + 1;
    }
    return this.separateValue(i, spec, written, nameSpan);
  }

  /** A required argument in the next word (possibly on the next directive line). */
  private separateValue(i: number, spec: SlurmOptionSpec, written: string, nameSpan: Span): number {
    const next = this.argv[i + 1];
    if (next === undefined) {
      this.diagnostics.push(
        diagnostic(
          "SBATCH011",
          `${code(written)} needs an argument, but the directives end here; sbatch rejects the script`,
          nameSpan,
          { suggestions: [{ message: `give it a value: ${code(`--${spec.long}=VALUE`)}` }] },
        ),
      );
      return i + 1;
    }
    this.roles.set(next, spec);
    if (OPTION_LIKE_VALUE.test(next.value)) {
      this.diagnostics.push(
        diagnostic(
          "SBATCH011",
          `${code(written)} takes the next word, ${code(next.value)}, as its value (sbatch does this whenever an option needs an argument); did you forget the value?`,
          nameSpan,
          {
            severity: "warning",
            notes: [
              {
                message: `${code(next.value)} becomes the value of ${code(written)} and is not read as an option`,
                span: next.span,
              },
            ],
          },
        ),
      );
    }
    this.add(spec, written, nameSpan, next.value, next.span, { start: nameSpan.start, end: next.span.end });
    return i + 2;
  }

  /** `-X`, `-Xvalue`, `-X value`, `-X=value`, `-HO`, `-vN2`. */
  private shorts(i: number): number {
    const arg = this.argv[i]!;
    const v = arg.value;
    const singleDashLong = this.singleDashLong(arg);
    if (singleDashLong) return i + 1;
    for (let j = 1; j < v.length; j++) {
      const letter = v[j]!;
      const nameSpan = { start: j === 1 ? arg.span.start : sourceStart(arg, j), end: sourceEnd(arg, j) };
      const spec = optionByShort(letter);
      if (spec === undefined) return this.unknownShort(i, j, nameSpan);
      const written = `-${letter}`;
      if (spec.arg === "none") {
        this.add(spec, written, nameSpan, undefined, undefined, nameSpan);
        continue;
      }
      if (j + 1 < v.length) {
        const value = v.slice(j + 1);
        const valueSpan = suffixSpan(arg, j + 1);
        this.roles.set(arg, spec);
        if (value.startsWith("=")) this.shortEquals(written, value, valueSpan);
        this.add(spec, written, nameSpan, value, valueSpan, { start: nameSpan.start, end: arg.span.end });
        return i + 1;
      }
      if (spec.arg === "optional") {
        this.add(spec, written, nameSpan, undefined, undefined, nameSpan);
        return i + 1;
      }
      return this.separateValue(i, spec, written, nameSpan);
    }
    return i + 1;
  }

  private shortEquals(written: string, value: string, valueSpan: Span): void {
    this.diagnostics.push(
      diagnostic(
        "SBATCH019",
        `with a short option the \`=\` is part of the value: ${code(`${written}${value}`)} gives ${code(written)} the value ${code(value)}`,
        valueSpan,
        {
          severity: "warning",
          suggestions: [
            { message: `write ${code(`${written} ${value.slice(1)}`)} if \`=\` is not part of the value` },
          ],
        },
      ),
    );
  }

  /**
   * `-time=5`, `-job-name=x`: getopt reads these as short options, which is never what was meant
   * when the word after the dash is an option's long name (three letters or more: `-bb` may well
   * be `-b b`).
   */
  private singleDashLong(arg: Argument): boolean {
    const v = arg.value;
    const eq = v.indexOf("=");
    const name = eq < 0 ? v.slice(1) : v.slice(1, eq);
    if (name.length < 3 || optionByLong(name) === undefined) return false;
    const letter = v[1]!;
    const asShort = optionByShort(letter);
    const reading =
      asShort === undefined
        ? `${code(`-${letter}`)}, which is not an sbatch option`
        : asShort.arg === "none"
          ? `a cluster of short options starting with ${code(`-${letter}`)} (--${asShort.long})`
          : `${code(`-${letter}`)} (--${asShort.long}) with the value ${code(v.slice(2))}`;
    const fixed = `-${v}`;
    this.diagnostics.push(
      diagnostic(
        "SBATCH019",
        `${code(v)} has one dash: sbatch reads it as ${reading}, not as ${code(`--${name}`)}`,
        arg.span,
        { suggestions: [{ message: `write ${code(fixed)}`, replacement: fixed }] },
      ),
    );
    return true;
  }

  private unknownLong(i: number, name: string, nameSpan: Span, hasValue: boolean): number {
    const arg = this.argv[i]!;
    const written = `--${name}`;
    if (arg.placeholders.length > 0 && name.length > 0 && arg.placeholders[0]!.span.start < nameSpan.end) {
      this.placeholderContext.set(arg, `sbatch would reject ${code(written)} as an unknown option`);
      return hasValue ? i + 1 : this.skipLikelyValue(i);
    }
    const refused = notAcceptedByLong(name) ?? uniquePrefixOfRefused(name);
    if (refused) return this.refused(i, refused, written, nameSpan, hasValue);
    const notes: Note[] = [];
    const suggestions: Suggestion[] = [];
    const plugin = SITE_PLUGIN_OPTIONS.get(name);
    if (plugin) {
      notes.push({
        message: `${code(written)} comes from ${plugin}, a site plugin (SPANK), not from sbatch itself; it exists only on clusters that load it`,
      });
    }
    const hyphenated = name.replace(/_/g, "-");
    const byHyphens = hyphenated !== name ? resolveLongOption(hyphenated) : undefined;
    const guess =
      byHyphens && (byHyphens.kind === "exact" || byHyphens.kind === "prefix")
        ? byHyphens.spec.long
        : plugin || name.length > MAX_GUESSED_NAME
          ? undefined
          : closest(name, LONG_NAMES, MISSPELLINGS);
    if (guess !== undefined)
      suggestions.push({ message: `did you mean ${code(`--${guess}`)}?`, replacement: `--${guess}` });
    this.diagnostics.push(
      diagnostic(
        "SBATCH009",
        name === ""
          ? `${code(arg.value)} names no option; sbatch rejects the script`
          : `unknown option ${code(written)}: sbatch rejects the script`,
        nameSpan,
        { notes, suggestions },
      ),
    );
    return hasValue ? i + 1 : this.skipLikelyValue(i);
  }

  /** A §7.3 spelling: srun-only options are unknown options (SBATCH009); renamed/removed ones SBATCH019. */
  private refused(
    i: number,
    refused: NotAcceptedSpelling,
    written: string,
    nameSpan: Span,
    hasValue: boolean,
  ): number {
    if (refused.kind === "srun") {
      this.diagnostics.push(
        diagnostic(
          "SBATCH009",
          `${code(written)} is not an sbatch option (${refused.note}); sbatch rejects the script`,
          nameSpan,
          { suggestions: [{ message: "give it to the `srun` command in the script body instead" }] },
        ),
      );
    } else {
      const replacement = refused.replacement;
      this.diagnostics.push(
        diagnostic(
          "SBATCH019",
          `this sbatch does not accept ${code(written)} (${refused.note}); it rejects the script`,
          nameSpan,
          {
            suggestions: replacement
              ? [{ message: `write ${code(`--${replacement}`)}`, replacement: `--${replacement}` }]
              : [{ message: "remove it" }],
          },
        ),
      );
    }
    return hasValue || refused.arg !== "required" ? i + 1 : this.skipLikelyValue(i);
  }

  private unknownShort(i: number, j: number, nameSpan: Span): number {
    const arg = this.argv[i]!;
    const letter = arg.value[j]!;
    const written = `-${letter}`;
    const refused = notAcceptedByShort(letter);
    const rest = arg.value.length > j + 1;
    if (refused) return this.refused(i, refused, written, nameSpan, rest);
    const suggestions: Suggestion[] = [];
    const otherCase = letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase();
    const sameLetter = optionByShort(otherCase);
    if (sameLetter) {
      suggestions.push({
        message: `did you mean ${code(`-${otherCase}`)} (--${sameLetter.long})?`,
        replacement: `-${otherCase}`,
      });
    }
    this.diagnostics.push(
      diagnostic("SBATCH009", `unknown option ${code(written)}: sbatch rejects the script`, nameSpan, {
        suggestions,
      }),
    );
    return rest ? i + 1 : this.skipLikelyValue(i);
  }

  /** After an option sbatch does not know: a following plain word is taken as its value, not as a stray word. */
  private skipLikelyValue(i: number): number {
    const next = this.argv[i + 1];
    return next !== undefined && !next.value.startsWith("-") ? i + 2 : i + 1;
  }

  /** A word that is not an option: sbatch stops and rejects the script. Reports the run of such words on its line. */
  private stray(i: number, context: string | undefined): number {
    const argv = this.argv;
    const first = argv[i]!;
    const line = this.line(first.span.start);
    let last = i;
    while (
      last + 1 < argv.length &&
      !isOptionWord(argv[last + 1]!.value) &&
      this.line(argv[last + 1]!.span.start) === line
    ) {
      last++;
    }
    const run = argv.slice(i, last + 1);
    const text = run.map((a) => a.value).join(" ");
    const withPlaceholder = run.some((a) => a.placeholders.length > 0);
    const wasApplying = this.applying;
    this.applying = false;
    // A word starting with `:` already failed the tokenizer (SBATCH008, spec §4 T6): sbatch never
    // gets as far as reporting it as a stray word.
    if (this.file.text.charCodeAt(first.span.start) === 58 /* : */) return last + 1;
    if (withPlaceholder) {
      for (const a of run)
        this.placeholderContext.set(a, "sbatch would reject it as a stray word and stop reading options");
      return last + 1;
    }
    const span = { start: first.span.start, end: argv[last]!.span.end };
    const notes: Note[] = [];
    const suggestions: Suggestion[] = [];
    const dash = UNICODE_DASHES.exec(first.value);
    const lineStart = this.file.lineStarts[line] ?? 0;
    const beforeWord =
      first.span.start - lineStart <= MAX_PREFIX ? this.file.text.slice(lineStart, first.span.start) : "";
    const prefix = DIRECTIVE_PREFIX.exec(beforeWord)?.[0];
    if (dash) {
      const fixed = `${dash[0].length === 1 ? "--" : "-".repeat(dash[0].length)}${first.value.slice(dash[0].length)}`;
      suggestions.push({ message: `write ${code(fixed)} with ASCII dashes`, replacement: fixed });
    } else if (prefix !== undefined) {
      const glued = prefix === "#SBATCH" || prefix === "#SLURM";
      notes.push({
        message: glued
          ? `${code(`${prefix}${this.file.text.slice(first.span.start, first.span.end)}`)} reads as the directive prefix ${code(prefix)} followed by ${code(first.value)}; to disable a directive write \`##SBATCH\``
          : `a line starting with ${code(prefix.trimEnd())} is a directive, so its words are read as options; write \`# ${prefix.trimEnd().slice(1)}\` for a comment`,
      });
    } else {
      const previous = argv[i - 1];
      const prevOcc = this.occurrences[this.occurrences.length - 1];
      if (
        previous !== undefined &&
        context === undefined &&
        prevOcc !== undefined &&
        prevOcc.spec.arg === "optional" &&
        prevOcc.value === undefined &&
        prevOcc.nameSpan?.end === previous.span.end
      ) {
        const attached = `${prevOcc.written}${prevOcc.written.startsWith("--") ? "=" : ""}${first.value}`;
        notes.push({
          message: `${code(prevOcc.written)} takes its argument only when attached to it`,
          span: prevOcc.nameSpan,
        });
        suggestions.push({ message: `write ${code(attached)}` });
      } else if (
        previous !== undefined &&
        context === undefined &&
        prevOcc?.valueSpan !== undefined &&
        prevOcc.valueSpan.end === previous.span.end &&
        this.line(previous.span.start) === line
      ) {
        notes.push({
          message: `the value of ${code(prevOcc.written)} ends before the blank`,
          span: prevOcc.valueSpan,
        });
        suggestions.push({
          message: `quote the value if the blank belongs to it: ${code(`${prevOcc.written}${prevOcc.written.startsWith("--") ? "=" : " "}"${prevOcc.value} ${text}"`)}`,
        });
      }
    }
    if (wasApplying && argv.length > last + 1) {
      notes.push({ message: "sbatch stops reading options here: the options after it are not applied" });
    }
    this.diagnostics.push(
      diagnostic(
        "SBATCH013",
        `${code(text)} is not an option${context ? ` (${context})` : ""}: sbatch rejects the script ("Invalid directive found in batch script")`,
        span,
        { notes, suggestions },
      ),
    );
    return last + 1;
  }

  private reportPlaceholders(): void {
    for (const arg of this.argv) {
      if (arg.placeholders.length === 0) continue;
      const role = this.roles.get(arg);
      if (role?.long === "wrap") continue;
      const context = this.placeholderContext.get(arg);
      for (const p of arg.placeholders) {
        const notes: Note[] = context ? [{ message: context }] : [];
        const suggestions: Suggestion[] = [];
        let message: string;
        if (isShellVariable(p)) {
          message = `${code(p.text)} is not expanded: sbatch reads directives as plain text, so the word is literally ${code(arg.value)}`;
          const pattern = FILENAME_PATTERN_FOR[p.name];
          if (role?.grammar === "filename" && pattern !== undefined) {
            suggestions.push({ message: `use the filename pattern ${code(pattern)}`, replacement: pattern });
          }
          suggestions.push({ message: `fill it when compiling: \`--set ${p.name}=VALUE\`` });
        } else {
          message = `template placeholder ${code(p.text)} in a directive: sbatch would read it literally`;
          suggestions.push({
            message:
              p.name === p.text
                ? "fill in the value"
                : `fill it when compiling: \`--set ${p.name}=VALUE\`, or write the value`,
          });
        }
        this.diagnostics.push(diagnostic("SBATCH016", message, p.span, { notes, suggestions }));
      }
    }
  }
}

/** Whether getopt treats a word as an option (or `--`) rather than as an operand. */
function isOptionWord(value: string): boolean {
  return value.length >= 2 && value.charCodeAt(0) === 45;
}

function uniquePrefixOfRefused(name: string): NotAcceptedSpelling | undefined {
  if (name.length < 3) return undefined;
  const hits = NOT_ACCEPTED_SPELLINGS.filter((o) => o.long.startsWith(name));
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * Parses one argv (one heterogeneous-job component). With `apply` false nothing is applied and
 * only diagnostics come back (the components flow rejects).
 */
export function parseArgv(file: SourceFile, argv: readonly Argument[], apply: boolean): ArgvReading {
  const parser = new ArgvParser(file, argv, apply);
  parser.run();
  return { occurrences: parser.occurrences, diagnostics: parser.diagnostics };
}
