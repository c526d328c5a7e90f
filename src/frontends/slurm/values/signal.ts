/**
 * `--signal` (spec `slurm.md` §8.11; PA `get_signal_opts()`, `sig_name2num()`):
 * `[{R|B|BR|RB}[:]]SIG[@SECONDS]`.
 *
 * Flags are single letters in either case read from the front — `R` (reservation: the job may
 * overlap a reservation with MaxStartDelay), then `B` (signal only the batch shell), then `R` again
 * — and the `:` after them is optional, so `BUSR1` is `B:USR1` (noted). `SIG` is a number 1–65535
 * or one of the names sbatch knows (HUP INT QUIT ABRT KILL ALRM TERM CHLD USR1 USR2 PIPE URG CONT
 * STOP TSTP TTIN TTOU XCPU), in any case, with or without `SIG`; other names (`WINCH`, `RTMIN`) only
 * as numbers. `SECONDS` is 0–65535, default 60; sbatch reads an empty `@` as 0 (kept, noted).
 *
 * Deliberate difference: sbatch casts the signal number to 16 bits before range-checking it, so
 * `65537` silently becomes 1 (HUP) and `-5` becomes 65531; we reject numbers outside 1–65535.
 */
import { strtol } from "./c-number.ts";
import { fail, ok, type ValueResult } from "./result.ts";
import { isCSpace, nearest, parseValue, show, withPlaceholderHint } from "./text.ts";

/** A parsed `--signal`. */
export interface SignalSpec {
  /** Canonical name without `SIG` (`USR1`), or the decimal number when Linux has no name for it. */
  readonly signal: string;
  /** The Linux signal number. */
  readonly number: number;
  /** Sent this many seconds before the time limit. */
  readonly secondsBefore: number;
  /** `B`: only the batch shell gets the signal, not its children or steps. */
  readonly batchOnly: boolean;
  /** `R`: the job may overlap a reservation with MaxStartDelay (KILL_JOB_RESV). */
  readonly reservation: boolean;
}

/** The names `sig_name2num()` accepts, with their Linux numbers. */
export const SBATCH_SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ABRT: 6,
  KILL: 9,
  ALRM: 14,
  TERM: 15,
  CHLD: 17,
  USR1: 10,
  USR2: 12,
  PIPE: 13,
  URG: 23,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  XCPU: 24,
};

/** Linux names of signals 1–31 (for numbers given without a name). */
const LINUX_NAMES = [
  "",
  "HUP",
  "INT",
  "QUIT",
  "ILL",
  "TRAP",
  "ABRT",
  "BUS",
  "FPE",
  "KILL",
  "USR1",
  "SEGV",
  "USR2",
  "PIPE",
  "ALRM",
  "TERM",
  "STKFLT",
  "CHLD",
  "CONT",
  "STOP",
  "TSTP",
  "TTIN",
  "TTOU",
  "URG",
  "XCPU",
  "XFSZ",
  "VTALRM",
  "PROF",
  "WINCH",
  "IO",
  "PWR",
  "SYS",
];

/** Parses `--signal`: `USR1@300`, `B:USR1@300`, `SIGUSR1@90`, `2@60`, `USR2`. */
export function parseSignal(text: string): ValueResult<SignalSpec> {
  return parseValue(text, scanSignal);
}

function scanSignal(text: string): ValueResult<SignalSpec> {
  if (text === "") return fail("the signal is empty: write e.g. `USR1@300` or `B:USR1@300`");
  const notes: string[] = [];
  let i = 0;
  let reservation = false;
  let batchOnly = false;
  if (text[i] === "R" || text[i] === "r") {
    reservation = true;
    i++;
  }
  if (text[i] === "B" || text[i] === "b") {
    batchOnly = true;
    i++;
  }
  if (text[i] === "R" || text[i] === "r") {
    reservation = true;
    i++;
  }
  if (text[i] === ":") i++;
  else if (i > 0) {
    notes.push(`${show(text)}: sbatch reads the leading \`${text.slice(0, i)}\` as flags even without \`:\``);
  }
  const rest = text.slice(i);
  const at = rest.indexOf("@");
  const sigText = at < 0 ? rest : rest.slice(0, at);
  const respell = (signal: string) => `${text.slice(0, i)}${signal}${rest.slice(sigText.length)}`;
  const signal = signalNumber(sigText, text, respell, i > 0);
  if (!signal.ok) return signal;
  let secondsBefore = 60;
  if (at >= 0) {
    const timeText = rest.slice(at + 1);
    const n = strtol(timeText);
    if (timeText === "") {
      notes.push(`${show(text)} has nothing after \`@\`: sbatch reads it as 0 seconds before the limit`);
      secondsBefore = 0;
    } else if (!n.hasDigits || n.end < timeText.length) {
      return fail(explainTime(text, timeText), suggestTime(text, rest.slice(0, at), timeText));
    } else if (n.value < 0n || n.value > 65535n) {
      return fail(`${show(text)}: the time before the limit must be 0 to 65535 seconds`);
    } else secondsBefore = Number(n.value);
  }
  const number = signal.value;
  const name = Object.entries(SBATCH_SIGNALS).find(([, v]) => v === number)?.[0] ?? LINUX_NAMES[number] ?? "";
  if (number > 64) notes.push(`Linux has no signal ${number}`);
  return ok({ signal: name === "" ? String(number) : name, number, secondsBefore, batchOnly, reservation }, [
    ...notes,
    ...(signal.notes ?? []),
  ]);
}

/** `sig_name2num()`: a number, or a known name with optional `SIG`, surrounded by whitespace only. */
function signalNumber(
  sigText: string,
  whole: string,
  respell: (signal: string) => string,
  hadFlags: boolean,
): ValueResult<number> {
  const n = strtol(sigText);
  if (n.hasDigits) {
    if (![...sigText.slice(n.end)].every((c) => isCSpace(c))) {
      return fail(`${show(whole)} is not a signal: a signal number must stand alone (\`10\`, \`10@60\`)`);
    }
    if (n.value < 1n || n.value > 65535n) {
      return fail(`${show(whole)}: signal numbers run from 1 to 65535`);
    }
    return ok(Number(n.value));
  }
  const name = sigText.trim().toUpperCase();
  const bare = name.startsWith("SIG") ? name.slice(3) : name;
  const known = SBATCH_SIGNALS[bare];
  if (known !== undefined) return ok(known);
  if (sigText === "") {
    return fail(`${show(whole)} names no signal${hadFlags ? " after the flags" : ""}: write e.g. \`USR1\``);
  }
  const linux = LINUX_NAMES.indexOf(bare);
  if (linux > 0 || bare.startsWith("RTMIN") || bare.startsWith("RTMAX")) {
    const number = linux > 0 ? String(linux) : bare === "RTMIN" ? "34" : "";
    return fail(
      `${show(whole)}: sbatch knows \`${bare}\` only by number${number ? `; write \`${respell(number)}\`` : ""}`,
      number ? [respell(number)] : [],
    );
  }
  const guess = nearest(bare, Object.keys(SBATCH_SIGNALS));
  return fail(
    withPlaceholderHint(
      `${sigText === whole ? show(whole) : `${show(sigText)} in ${show(whole)}`} is not a signal sbatch knows: use a number or one of ${Object.keys(SBATCH_SIGNALS).join(", ")}`,
      sigText,
    ),
    guess ? [respell(guess)] : [],
  );
}

function explainTime(whole: string, timeText: string): string {
  if (/^\d+\s*[a-zA-Z]+$/.test(timeText)) {
    return `${show(whole)}: the time after \`@\` is a number of seconds without a unit`;
  }
  return withPlaceholderHint(
    `${show(whole)}: the time after \`@\` must be a number of seconds (0 to 65535)`,
    timeText,
  );
}

function suggestTime(whole: string, head: string, timeText: string): string[] {
  const m = /^(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)$/i.exec(timeText);
  if (!m) return [];
  const unit = (m[2] ?? "s")[0]?.toLowerCase();
  const seconds = Number(m[1]) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
  if (seconds > 65535) return [];
  const flags = whole.slice(0, whole.length - head.length - timeText.length - 1);
  return [`${flags}${head}@${seconds}`];
}
