/**
 * Durations of `--time` and `--time-min` (spec `slurm.md` §8.2; PT `time_str2secs()`,
 * `time_str2mins()`, `_is_valid_timespec()`; SO `arg_set_time_limit()`, `arg_set_time_min()`).
 *
 * Forms: `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`, and `-1`/`INFINITE`/`UNLIMITED` (any case).
 * Only digits, `-` and `:` may appear; at most one `-`, at most two `:`, no `-` after a `:`, no
 * empty field — except that the bare days form tolerates an empty side, so `1-` is one day (a quirk
 * of the validator, kept and noted). Fields are not range-checked (`0:90` is 90 s). The seconds are
 * rounded **up** to whole minutes, and a result of 0 minutes means "no limit" — both exactly as
 * sbatch does, both reported in notes because they surprise people (`1:30` is 2 minutes).
 *
 * Deliberate differences: a leading `-` other than `-1` yields a negative limit in sbatch; we reject
 * it (the spec's recommendation). sbatch computes in a 32-bit `int` and overflows silently on huge
 * values; we reject anything it cannot represent instead of reproducing the wrap-around.
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { describeChar, parseValue, show, withPlaceholderHint } from "./text.ts";

/** A parsed time limit: whole minutes, or no limit at all. */
export interface Duration {
  readonly minutes: number | "unlimited";
}

/** A parsed duration without sbatch's rounding and 0-means-unlimited rule (`--delay-boot`, §8.2). */
export interface DurationSeconds {
  readonly seconds: number | "unlimited";
}

/** How `parseTime` names the option in messages. */
export interface DurationOptions {
  /** `--time` (default) or `--time-min`. */
  readonly option?: string;
}

/** The largest second count sbatch's `int` arithmetic survives, rounding included: `INT_MAX − 59`. */
export const MAX_DURATION_SECONDS = 2147483647 - 59;

const FORMS = "minutes (`90`), `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`, or `UNLIMITED`";

/**
 * Parses a `--time`/`--time-min` value into whole minutes, rounding seconds up, with 0 meaning
 * unlimited: `90` → 90, `1:30` → 2, `1-12` → 2160, `0` → unlimited.
 */
export function parseTime(text: string, options: DurationOptions = {}): ValueResult<Duration> {
  return parseValue(text, (t): ValueResult<Duration> => {
    const scanned = scanDuration(t);
    if (!scanned.ok) return scanned;
    const { seconds, notes } = scanned.value;
    if (seconds === "unlimited") return ok({ minutes: "unlimited" }, notes);
    const minutes = Math.ceil(seconds / 60);
    if (seconds % 60 !== 0) {
      notes.push(`sbatch rounds the limit up to whole minutes: ${seconds} s becomes ${minutes} min`);
    }
    if (minutes === 0) {
      notes.push(`a limit of 0 minutes means no time limit in sbatch (${options.option ?? "--time"}=0)`);
      return ok({ minutes: "unlimited" }, notes);
    }
    return ok({ minutes }, notes);
  });
}

/**
 * Parses the same grammar into exact seconds, without rounding and without the 0 ⇒ unlimited rule:
 * the form sbatch uses for `--delay-boot` and the `@time` of `--switches` (§8.2, last paragraph).
 */
export function parseTimeSeconds(text: string): ValueResult<DurationSeconds> {
  return parseValue(text, (t): ValueResult<DurationSeconds> => {
    const scanned = scanDuration(t);
    return scanned.ok ? ok({ seconds: scanned.value.seconds }, scanned.value.notes) : scanned;
  });
}

interface Scanned {
  readonly seconds: number | "unlimited";
  readonly notes: string[];
}

function scanDuration(text: string): ValueResult<Scanned> {
  const upper = text.toUpperCase();
  if (text === "-1" || upper === "INFINITE" || upper === "UNLIMITED") {
    return ok({ seconds: "unlimited", notes: [] });
  }
  if (text === "") return fail(`the time limit is empty: write ${FORMS}`);
  // One pass: separators, runs of digits, and the first character that is neither.
  let dashes = 0;
  let colons = 0;
  let digitRuns = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      const previous = text.charCodeAt(i - 1);
      if (i === 0 || previous < 48 || previous > 57) digitRuns++;
    } else if (c === 45) dashes++;
    else if (c === 58) colons++;
    else return explainForeign(text, String.fromCodePoint(text.codePointAt(i) ?? c));
  }
  if (digitRuns === 0) return fail(`${show(text)} has no numbers: write ${FORMS}`);
  if (dashes > 1) {
    return fail(
      `${show(text)} has more than one \`-\`: the only \`-\` separates days from hours (\`D-H:M:S\`)`,
    );
  }
  if (colons > 2) {
    const fields = text.split(":");
    const suggestion =
      dashes === 0 && fields.length === 4 ? [`${fields[0]}-${fields.slice(1).join(":")}`] : [];
    return fail(
      `${show(text)} has more than two \`:\`: the longest form is \`D-H:M:S\`, with a \`-\` after the days`,
      suggestion,
    );
  }
  if (dashes === 1 && text.indexOf("-") > text.indexOf(":") && colons > 0) {
    return fail(`${show(text)} has a \`-\` after a \`:\`: the days come first, as in \`D-H:M:S\``);
  }
  if (digitRuns < colons + dashes + 1 && !(dashes === 1 && colons === 0)) {
    const filled = text.replace(/(^|[-:])(?=[-:]|$)/g, "$10");
    return fail(`${show(text)} has an empty field: every field of \`D-H:M:S\` needs digits`, [filled]);
  }

  const notes: string[] = [];
  let days = 0;
  let hours = 0;
  let minutes = 0;
  let seconds = 0;
  if (dashes === 1) {
    const dash = text.indexOf("-");
    const before = text.slice(0, dash);
    const after = text.slice(dash + 1);
    if (before === "") {
      if (/[1-9]/.test(after)) {
        return fail(
          `${show(text)} is negative: a time limit cannot be below zero (only \`-1\` has a meaning: unlimited)`,
          ["UNLIMITED"],
        );
      }
      notes.push(`${show(text)} is read by sbatch as 0 days`);
    } else {
      days = Number(before);
      const [h = "", m = "", s = ""] = after.split(":");
      hours = field(h);
      minutes = field(m);
      seconds = field(s);
      if (after === "")
        notes.push(`${show(text)} (trailing \`-\`) is read by sbatch as ${before} day(s) and 0 hours`);
      else if (colons === 0) notes.push(`${show(text)} is days-hours: ${before} day(s) and ${h} hour(s)`);
    }
  } else {
    const parts = text.split(":").map(Number);
    if (parts.length === 3) [hours = 0, minutes = 0, seconds = 0] = parts;
    else [minutes = 0, seconds = 0] = parts;
    if (parts.length === 2) {
      const [m = "", s = ""] = text.split(":");
      const hint =
        Number(m) < 24 && Number(s) < 60
          ? `; for ${Number(m)} h ${Number(s)} min write \`${m}:${s}:00\``
          : "";
      notes.push(`${show(text)} is minutes:seconds (${Number(m)} min ${Number(s)} s)${hint}`);
    }
  }
  const limit = 2147483647;
  if ([days, hours, minutes, seconds].some((v) => v > limit)) return tooLarge(text);
  const total = days * 86400 + hours * 3600 + minutes * 60 + seconds;
  if (total > MAX_DURATION_SECONDS) return tooLarge(text);
  return ok({ seconds: total, notes });
}

function field(text: string): number {
  return text === "" ? 0 : Number(text);
}

function tooLarge(text: string): ValueResult<Scanned> {
  return fail(
    `${show(text)} is too large: sbatch computes the limit in seconds as a 32-bit number, so the longest limit it can represent is ${Math.floor(MAX_DURATION_SECONDS / 60)} minutes (about 68 years); use \`UNLIMITED\` for no limit`,
    ["UNLIMITED"],
  );
}

/** The suggested spelling of `seconds` and its form: minutes under an hour, else `H:MM:SS` or `D-HH:MM:SS`. */
function spell(seconds: number, preferMinutes = false): { text: string; form: string } {
  if (seconds % 60 === 0 && (seconds < 3600 || preferMinutes))
    return { text: String(seconds / 60), form: "minutes" };
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const mmss = [Math.floor((seconds % 3600) / 60), seconds % 60]
    .map((v) => String(v).padStart(2, "0"))
    .join(":");
  return d > 0
    ? { text: `${d}-${String(h).padStart(2, "0")}:${mmss}`, form: "D-H:M:S" }
    : { text: `${h}:${mmss}`, form: "H:M:S" };
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86400, h: 3600, m: 60, s: 1 };
const UNIT_FORM = /^(?:\d+(?:\.\d+)?(?:d|days?|h|hr|hrs|hours?|m|min|mins|minutes?|s|sec|secs|seconds?))+$/i;

function explainForeign(text: string, bad: string): ValueResult<Scanned> {
  if (/^\d+\.\d+$/.test(text)) {
    const value = Number(text);
    const asSeconds = Math.ceil(value * 60);
    const mmss = `${Math.floor(asSeconds / 60)}:${String(asSeconds % 60).padStart(2, "0")}`;
    const asHours = spell(Math.ceil(value * 60) * 60).text;
    return fail(
      `${show(text)} is not a duration: minutes are whole numbers; write \`${mmss}\` for ${Math.floor(asSeconds / 60)} min ${asSeconds % 60} s, or \`${asHours}\` for ${value} hours`,
      [mmss, asHours],
    );
  }
  if (UNIT_FORM.test(text)) {
    let seconds = 0;
    for (const [, amount = "0", unit = "s"] of text.matchAll(/(\d+(?:\.\d+)?)([a-z]+)/gi)) {
      seconds += Number(amount) * (UNIT_SECONDS[unit[0]?.toLowerCase() ?? "s"] ?? 1);
    }
    const spelled = spell(Math.ceil(seconds), /^(?:\d+(?:\.\d+)?m(?:in|ins|inutes?)?)+$/i.test(text));
    return fail(
      `${show(text)} is not a duration: sbatch takes no unit letters; write \`${spelled.text}\` (${spelled.form})`,
      [spelled.text],
    );
  }
  if (bad === " " || bad === "\t") {
    const squeezed = text.replace(/[ \t]+/g, "");
    const retry = scanDuration(squeezed);
    return fail(
      `${show(text)} contains ${describeChar(bad)}: a duration has no spaces`,
      retry.ok ? [squeezed] : [],
    );
  }
  return fail(
    withPlaceholderHint(
      `${show(text)} is not a duration: ${describeChar(bad)} cannot appear in one; write ${FORMS}`,
      text,
    ),
  );
}
