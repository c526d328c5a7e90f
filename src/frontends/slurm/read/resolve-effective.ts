/**
 * Last occurrence wins (spec §5.2): the effective value of each option is its last applied
 * occurrence, across lines; options that write one field (`--tasks-per-node` and
 * `--ntasks-per-node`, `--requeue` and `--no-requeue`, …) override each other. Each override is an
 * SBATCH014 info at the winning occurrence with a note at the one it replaces, except for `-v`,
 * which counts up.
 *
 * The map is keyed by long name; a pure alias is filed under the name of its field
 * (`--tasks-per-node` under `ntasks-per-node`, `--cluster` under `clusters`), and of two options
 * that replace each other only the later one is present.
 */
import { type Diagnostic, diagnostic } from "../../../diagnostics/diagnostic.ts";
import { OVERRIDING_PAIRS, REPEATABLE_OPTIONS, SAME_FIELD } from "../options.ts";
import { code } from "./code-text.ts";
import { type OptionOccurrence, spanOnOneLine } from "./occurrence.ts";

/** The key an option's effective value is filed under. */
export function effectiveKey(long: string): string {
  return SAME_FIELD.get(long) ?? long;
}

/** The occurrence an occurrence of `long` would replace: its own, or its partner's. */
export function currentOccurrence(
  effective: ReadonlyMap<string, OptionOccurrence>,
  long: string,
): OptionOccurrence | undefined {
  const partner = OVERRIDING_PAIRS.get(long);
  return effective.get(effectiveKey(long)) ?? (partner !== undefined ? effective.get(partner) : undefined);
}

function shown(o: OptionOccurrence): string {
  return o.value === undefined ? code(o.written) : `${code(o.written)} ${code(o.value)}`;
}

/**
 * Files `o` as the effective occurrence of its option; reports what it overrides. `envText` is the
 * `NAME=value` an env occurrence came from.
 */
export function applyOccurrence(
  text: string,
  effective: Map<string, OptionOccurrence>,
  o: OptionOccurrence,
  diagnostics: Diagnostic[],
  envText?: string,
): void {
  const key = effectiveKey(o.spec.long);
  const partner = OVERRIDING_PAIRS.get(o.spec.long);
  const replaced = currentOccurrence(effective, o.spec.long);
  if (partner !== undefined) effective.delete(partner);
  effective.set(key, o);
  if (replaced === undefined || REPEATABLE_OPTIONS.has(o.spec.long)) return;
  const where = replaced.line >= 0 ? `line ${replaced.line + 1}` : `the environment (${replaced.written})`;
  const same = effectiveKey(replaced.spec.long) === key;
  const message =
    envText !== undefined
      ? `${code(envText)} from the environment overrides ${shown(replaced)} on ${where}: sbatch applies SBATCH_* variables after the script's directives`
      : same
        ? `--${key} given again: ${shown(o)} wins over ${shown(replaced)} on ${where} (sbatch keeps the last)`
        : `${shown(o)} overrides ${shown(replaced)} on ${where}: they set the same thing, and sbatch keeps the last`;
  const replacedSpan = spanOnOneLine(text, replaced);
  diagnostics.push(
    diagnostic("SBATCH014", message, spanOnOneLine(text, o), {
      notes: [{ message: "overridden", ...(replacedSpan ? { span: replacedSpan } : {}) }],
    }),
  );
}

/** The effective options of directive occurrences in order, with SBATCH014 for every override. */
export function resolveEffective(
  text: string,
  occurrences: readonly OptionOccurrence[],
): {
  effective: Map<string, OptionOccurrence>;
  diagnostics: Diagnostic[];
} {
  const effective = new Map<string, OptionOccurrence>();
  const diagnostics: Diagnostic[] = [];
  for (const o of occurrences) applyOccurrence(text, effective, o, diagnostics);
  return { effective, diagnostics };
}
