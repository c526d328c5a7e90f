/**
 * Points in time of `--begin` and `--deadline` (spec `slurm.md` §8.12; PT `parse_time()`,
 * `_get_date()`, `_get_time()`, `_get_delta()`), described without reading the clock, so that
 * compiling the same script twice gives the same output (DESIGN invariant 7).
 *
 * sbatch scans the value left to right, skipping blanks, `-` and `T`, and lets later parts win:
 * keywords (`today`, `tomorrow`, `midnight`, `noon`, `elevenses` 11:00, `fika` 15:00, `teatime`
 * 16:00; any case), `HH:MM[:SS]` with optional `AM`/`PM` (hour ≤ 23, minutes and seconds exactly two
 * digits ≤ 59), dates `MMDD[YY]`, `MM/DD[/YY]`, `MM.DD[.YY]`, `YYYY-MM-DD`, `now[+|-]N[unit]` with
 * units spelled out (`seconds` (default), `minutes`, `hours`, `days`, `weeks`, singular or plural —
 * `now+1h` is invalid), and `uts<epoch>`. The result is one of:
 *
 * - `relative`: `now±N` — seconds from the moment of submission.
 * - `absolute`: a date with a year — `YYYY-MM-DDTHH:MM:SS` in the submit host's local time (no
 *   zone), normalised as `mktime()` would (`2025-02-30` is `2025-03-02`); `uts` epochs are UTC and end in `Z`.
 * - `named`: anything that depends on today's date, as a phrase:
 *   `next HH:MM:SS` (a time alone: today if that time, compared to the minute, is still ahead, else
 *   tomorrow), `today HH:MM:SS` / `tomorrow HH:MM:SS` (a date keyword, with 00:00:00 when no time is
 *   given — `today` alone is already past, so the job may start at once), and
 *   `next MM-DD HH:MM:SS` (a date without a year: this year if still ahead, else next year).
 *
 * Deliberate differences: `now` must start the value (sbatch's offset arithmetic is wrong anywhere
 * else), and parts after `now±N` (which would mix the clock with fixed fields) are rejected. Where
 * sbatch's scanner skips a digit check (the month of `YYYY-MM-DD`) we require the digit. A two-digit
 * year `00` means "no year" in sbatch; kept and noted.
 */
import { strtol } from "./c-number.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { describeChar, isCSpace, isDigit, parseValue, show, withPlaceholderHint } from "./text.ts";

/** A clock-free description of a `--begin`/`--deadline` time; see the file comment for each kind. */
export type TimePoint =
  | { readonly kind: "relative"; readonly seconds: number }
  | { readonly kind: "absolute"; readonly iso: string }
  | { readonly kind: "named"; readonly name: string };

const EXAMPLES = "e.g. `now+1hour`, `16:00`, `2025-03-15T10:00:00`, `tomorrow` or `teatime`";

const KEYWORD_TIMES: Readonly<Record<string, readonly [number, number]>> = {
  midnight: [0, 0],
  noon: [12, 0],
  elevenses: [11, 0],
  fika: [15, 0],
  teatime: [16, 0],
};

const UNITS: readonly (readonly [string, number])[] = [
  ["seconds", 1],
  ["second", 1],
  ["minutes", 60],
  ["minute", 60],
  ["hours", 3600],
  ["hour", 3600],
  ["days", 86400],
  ["day", 86400],
  ["weeks", 604800],
  ["week", 604800],
];

/** Parses `--begin`/`--deadline`: `now+1hour`, `16:00`, `tomorrow`, `2025-03-15T10:00:00`, `031525`. */
export function parseTimePoint(text: string): ValueResult<TimePoint> {
  return parseValue(text, scanTimePoint);
}

type DatePart =
  | { readonly kind: "today" | "tomorrow" }
  | { readonly kind: "date"; readonly year?: number; readonly month: number; readonly day: number };

interface Clock {
  readonly h: number;
  readonly m: number;
  readonly s: number;
}

/** Why a value is not a point in time, with a corrected value when one is evident. */
interface Invalid {
  readonly reason: string;
  readonly suggestion?: string;
}

function invalid(reason: string, suggestion?: string): Invalid {
  return suggestion === undefined ? { reason } : { reason, suggestion };
}

function isInvalid(value: number | object): value is Invalid {
  return typeof value === "object" && "reason" in value;
}

function scanTimePoint(text: string): ValueResult<TimePoint> {
  if (/^uts/i.test(text)) return scanEpoch(text);
  const notes: string[] = [];
  let date: DatePart | undefined;
  let clock: Clock | undefined;
  let relative: number | undefined;
  let pos = 0;
  while (pos < text.length && text[pos] !== "\n") {
    const c = text[pos] ?? "";
    if (c === " " || c === "\t" || c === "-" || c === "T") {
      pos++;
      continue;
    }
    if (relative !== undefined) {
      return reject(
        text,
        invalid(
          `nothing may follow \`now${signed(relative)}\` (flow does not mix the clock with fixed fields)`,
        ),
      );
    }
    const word = text.slice(pos).toLowerCase();
    const keyword = ["today", "tomorrow", "midnight", "noon", "elevenses", "fika", "teatime"].find((k) =>
      word.startsWith(k),
    );
    if (keyword === "today" || keyword === "tomorrow") {
      date = { kind: keyword };
      pos += keyword.length;
      continue;
    }
    if (keyword !== undefined) {
      const [h, m] = KEYWORD_TIMES[keyword] ?? [0, 0];
      clock = { h, m, s: 0 };
      pos += keyword.length;
      continue;
    }
    if (word.startsWith("now")) {
      if (pos > 0) return reject(text, invalid("`now` must start the value"));
      const delta = readNow(text, pos + 3);
      if (isInvalid(delta)) return reject(text, delta);
      relative = delta.seconds;
      pos = delta.end;
      continue;
    }
    if (!isDigit(c)) {
      const capital = pos > 0 && text[pos - 1] === "T" ? /^(today|tomorrow|teatime)/.exec(`t${word}`) : null;
      if (capital) {
        const keyword = capital[1] ?? "";
        const fixed = `${text.slice(0, pos - 1)}${keyword}${text.slice(pos - 1 + keyword.length)}`;
        return reject(
          text,
          invalid(
            "sbatch skips a capital `T` (the date-time separator), so keywords starting with `T` must be lower case",
            fixed,
          ),
        );
      }
      return reject(text, invalid(`${describeChar(c)} cannot start a part of a time`));
    }
    if (text[pos + 1] === ":" || text[pos + 2] === ":") {
      const read = readClock(text, pos);
      if (isInvalid(read)) return reject(text, read);
      clock = read.clock;
      pos = read.end;
      continue;
    }
    const read = readDate(text, pos, notes);
    if (isInvalid(read)) return reject(text, dateHint(text.slice(pos), read));
    date = read.date;
    pos = read.end;
  }
  if (relative !== undefined) return ok({ kind: "relative", seconds: relative }, notes);
  if (date === undefined && clock === undefined) {
    return reject(text, invalid(text === "" ? "it is empty" : "it names no date or time"));
  }
  const hms = clock ?? { h: 0, m: 0, s: 0 };
  const time = [hms.h, hms.m, hms.s].map((v) => String(v).padStart(2, "0")).join(":");
  if (date === undefined) return ok({ kind: "named", name: `next ${time}` }, notes);
  if (date.kind !== "date") return ok({ kind: "named", name: `${date.kind} ${time}` }, notes);
  const md = `${pad2(date.month)}-${pad2(date.day)}`;
  if (date.year === undefined) return ok({ kind: "named", name: `next ${md} ${time}` }, notes);
  const iso = normalise(date.year, date.month, date.day, hms);
  const written = `${String(date.year).padStart(4, "0")}-${md}T${time}`;
  if (iso !== written)
    notes.push(`\`${written}\` does not exist: like sbatch (\`mktime()\`), it is read as \`${iso}\``);
  return ok({ kind: "absolute", iso }, notes);
}

function reject(text: string, invalid: Invalid): ValueResult<TimePoint> {
  return fail(
    withPlaceholderHint(`${show(text)} is not a point in time: ${invalid.reason}; write ${EXAMPLES}`, text),
    invalid.suggestion === undefined ? [] : [invalid.suggestion],
  );
}

function signed(seconds: number): string {
  return seconds < 0 ? `${seconds}` : `+${seconds}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function scanEpoch(text: string): ValueResult<TimePoint> {
  const rest = text.slice(3);
  const n = strtol(rest);
  if (!n.hasDigits || n.end < rest.length || n.value < 1000000n) {
    return fail(
      `${show(text)}: \`uts\` must be followed by UNIX seconds (at least 1000000) and nothing else`,
    );
  }
  if (n.value > 8640000000000n) return fail(`${show(text)}: the epoch is too far in the future`);
  const iso = new Date(Number(n.value) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return ok({ kind: "absolute", iso }, [
    "`uts…` (seconds since 1970, UTC) is undocumented in sbatch but accepted",
  ]);
}

/** `_get_delta()` after `now`: blanks, then nothing, or a sign, digits and an optional unit word. */
function readNow(text: string, start: number): { seconds: number; end: number } | Invalid {
  let i = start;
  while (text[i] === " " || text[i] === "\t") i++;
  if (i >= text.length || text[i] === "\n") return { seconds: 0, end: i };
  const sign = text[i];
  if (sign !== "+" && sign !== "-") return invalid("`now` must be followed by `+N` or `-N`");
  let count = 0;
  let digits = 0;
  let offset = i + 1;
  for (; offset < text.length && text[offset] !== "\n"; offset++) {
    const c = text[offset];
    if (isCSpace(c)) continue;
    const lower = text.slice(offset).toLowerCase();
    const unit = UNITS.find(([name]) => lower.startsWith(name));
    if (unit) {
      count *= unit[1];
      offset += unit[0].length;
      break;
    }
    if (isDigit(c)) {
      count = count * 10 + Number(c);
      digits++;
      if (count > 1e12) return invalid("the offset is too large");
      continue;
    }
    const m = /^(\d+)\s*([a-z]+)/i.exec(text.slice(i + 1));
    const full = m ? fullUnit(m[2] ?? "") : undefined;
    const word = full !== undefined && m?.[1] === "1" ? full.slice(0, -1) : full;
    const suggestion = m && word ? `now${sign}${m[1]}${word}` : undefined;
    return invalid(
      `units after \`now${sign}N\` are spelled out: \`seconds\`, \`minutes\`, \`hours\`, \`days\` or \`weeks\``,
      suggestion,
    );
  }
  if (digits === 0) return invalid(`\`now${sign}\` needs a number, as in \`now${sign}1hour\``);
  return { seconds: sign === "-" ? -count : count, end: offset };
}

function fullUnit(abbreviation: string): string | undefined {
  const a = abbreviation.toLowerCase();
  if (/^(s|sec|secs)$/.test(a)) return "seconds";
  if (/^(m|min|mins)$/.test(a)) return "minutes";
  if (/^(h|hr|hrs)$/.test(a)) return "hours";
  if (/^(d)$/.test(a)) return "days";
  if (/^(w|wk|wks)$/.test(a)) return "weeks";
  return undefined;
}

/** `_get_time()`: `H:MM` or `HH:MM[:SS]`, then optional blanks and `AM`/`PM`. */
function readClock(text: string, start: number): { clock: Clock; end: number } | Invalid {
  let i = start;
  let h = Number(text[i++]);
  if (text[i] !== ":") h = h * 10 + Number(text[i++]);
  if (h > 23) return invalid(`the hour ${h} is above 23`);
  i++;
  const two = (what: string): number | Invalid => {
    if (!isDigit(text[i]) || !isDigit(text[i + 1]))
      return invalid(`${what} must be written with two digits, as in \`10:05\``);
    const v = Number(text.slice(i, i + 2));
    i += 2;
    return v > 59 ? invalid(`${what} ${v} is above 59`) : v;
  };
  const m = two("the minute");
  if (isInvalid(m)) return m;
  let s = 0;
  if (text[i] === ":") {
    i++;
    const read = two("the second");
    if (isInvalid(read)) return read;
    s = read;
  }
  let j = i;
  while (isCSpace(text[j])) j++;
  const suffix = text.slice(j, j + 2).toLowerCase();
  if (suffix === "pm") {
    if (h > 12) return invalid(`with PM the hour must be 12 or less, not ${h}`, `${h}:${pad2(m)}`);
    if (h < 12) h += 12;
    i = j + 2;
  } else if (suffix === "am") {
    if (h > 12) return invalid(`with AM the hour must be 12 or less, not ${h}`, `${h}:${pad2(m)}`);
    if (h === 12) h = 0;
    i = j + 2;
  }
  return { clock: { h, m, s }, end: i };
}

/** `_get_date()`: `YYYY-MM-DD`, or `MM[./]DD[[./]YY]` with one- or two-digit month and day. */
function readDate(text: string, start: number, notes: string[]): { date: DatePart; end: number } | Invalid {
  let i = start;
  if (text[start + 4] === "-" && text[start + 7] === "-") {
    const iso = /^(\d{4})-(\d{2})-(\d{1,2})/.exec(text.slice(start));
    if (!iso) return invalid("a date with dashes is written `YYYY-MM-DD`");
    const [, y = "0", mo = "0", d = "0"] = iso;
    const checked = checkMonthDay(Number(mo), Number(d));
    if (checked) return checked;
    return {
      date: { kind: "date", year: Number(y), month: Number(mo), day: Number(d) },
      end: start + iso[0].length,
    };
  }
  const digits = (): number => {
    let v = Number(text[i++]);
    if (isDigit(text[i])) v = v * 10 + Number(text[i++]);
    return v;
  };
  const month = digits();
  if (month < 1 || month > 12) {
    return invalid(
      /^\d{3,4}$/.test(text.slice(start)) && !text.includes(":")
        ? `\`${text.slice(start)}\` is read as a date MMDD, and ${month} is not a month; for a time of day write \`HH:MM\``
        : `the month ${month} is not 1 to 12 (dates are month first: \`MM/DD/YY\`)`,
    );
  }
  if (text[i] === "." || text[i] === "/") i++;
  if (!isDigit(text[i])) return invalid("a date needs a day after the month (`MM/DD`)");
  const day = digits();
  const checked = checkMonthDay(month, day);
  if (checked) return checked;
  if (text[i] === "." || text[i] === "/") i++;
  let year: number | undefined;
  if (isDigit(text[i])) {
    if (!isDigit(text[i + 1])) return invalid("the year must be two digits (`YY`)");
    const yy = Number(text.slice(i, i + 2));
    i += 2;
    if (yy === 0) notes.push("the year `00` means no year to sbatch: the next such date is used");
    else year = 2000 + yy;
  }
  return {
    date: year === undefined ? { kind: "date", month, day } : { kind: "date", year, month, day },
    end: i,
  };
}

/** A better reason for the date forms people mean as something else: `4pm`, `1200`, `2025-3-15`. */
function dateHint(rest: string, read: Invalid): Invalid {
  const ampm = /^(\d{1,2})\s*(am|pm)$/i.exec(rest);
  if (ampm) {
    const h = Number(ampm[1]);
    const hour = ampm[2]?.toLowerCase() === "pm" ? (h % 12) + 12 : h % 12;
    return h <= 12 ? invalid("a time needs minutes, as in `4:00PM`", `${pad2(hour)}:00`) : read;
  }
  const hhmm = /^(\d{2})(\d{2})$/.exec(rest);
  if (hhmm && Number(hhmm[1]) <= 23 && Number(hhmm[2]) <= 59) {
    return invalid(
      `${read.reason} (four digits are a date, MMDD, to sbatch; for a time of day write \`${hhmm[1]}:${hhmm[2]}\`)`,
      `${hhmm[1]}:${hhmm[2]}`,
    );
  }
  const loose = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(rest);
  if (loose) {
    const fixed = `${loose[1]}-${pad2(Number(loose[2]))}-${pad2(Number(loose[3]))}`;
    return invalid(`a date with dashes needs two-digit months and days: \`${fixed}\``, fixed);
  }
  return read;
}

function checkMonthDay(month: number, day: number): Invalid | undefined {
  if (month < 1 || month > 12) return invalid(`the month ${month} is not 1 to 12`);
  if (day < 1 || day > 31) return invalid(`the day ${day} is not 1 to 31`);
  return undefined;
}

function normalise(year: number, month: number, day: number, clock: Clock): string {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(clock.h, clock.m, clock.s, 0);
  const y = String(d.getUTCFullYear()).padStart(4, "0");
  const rest = [d.getUTCMonth() + 1, d.getUTCDate()].map(pad2).join("-");
  const time = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map(pad2).join(":");
  return `${y}-${rest}T${time}`;
}
