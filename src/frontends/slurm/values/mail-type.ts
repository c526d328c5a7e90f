/**
 * `--mail-type` (spec `slurm.md` §8.14; PA `parse_mail_type()`): a comma list of event names in any
 * case. `ALL` means BEGIN, END, FAIL, REQUEUE, INVALID_DEPEND and STAGE_OUT (not the TIME_LIMIT_*
 * events, not ARRAY_TASKS). `NONE` stops the scan and clears everything, even events before it.
 * Unknown words are skipped **silently** by sbatch unless nothing valid remains, which is an error;
 * we skip them too and name each in a note (`FINISH` in `BEGIN,FINISH` is how mails go missing).
 */
import { fail, ok, type ValueResult } from "./result.ts";
import { nearest, parseValue, show } from "./text.ts";

/** Mail events, in the order sbatch prints them (PA `print_mail_type()`). */
export const MAIL_EVENTS = [
  "ARRAY_TASKS",
  "INVALID_DEPEND",
  "BEGIN",
  "END",
  "FAIL",
  "REQUEUE",
  "STAGE_OUT",
  "TIME_LIMIT_50",
  "TIME_LIMIT_80",
  "TIME_LIMIT_90",
  "TIME_LIMIT",
] as const;

/** One of `MAIL_EVENTS`. */
export type MailEvent = (typeof MAIL_EVENTS)[number];

/** A parsed `--mail-type`: the events mail is sent for; empty after `NONE`. */
export interface MailTypes {
  readonly events: MailEvent[];
}

const ALL: readonly MailEvent[] = ["BEGIN", "END", "FAIL", "REQUEUE", "INVALID_DEPEND", "STAGE_OUT"];
const ALIASES: Readonly<Record<string, string>> = {
  finish: "END",
  finished: "END",
  start: "BEGIN",
  failure: "FAIL",
};

/** Parses `--mail-type`: `ALL`, `END,FAIL`, `begin`, `NONE`. */
export function parseMailType(text: string): ValueResult<MailTypes> {
  return parseValue(text, scanMailType);
}

function scanMailType(text: string): ValueResult<MailTypes> {
  const events = new Set<MailEvent>();
  const notes: string[] = [];
  const skipped: string[] = [];
  for (const word of text.split(",")) {
    if (word === "") continue;
    const upper = word.toUpperCase();
    if (upper === "NONE") {
      if (events.size > 0) notes.push("`NONE` clears the events listed before it");
      return ok({ events: [] }, notes);
    }
    if (upper === "ALL") for (const e of ALL) events.add(e);
    else if ((MAIL_EVENTS as readonly string[]).includes(upper)) events.add(upper as MailEvent);
    else skipped.push(word);
  }
  const candidates = [...MAIL_EVENTS, "ALL", "NONE"];
  const named = skipped.slice(0, 5);
  const guesses = named.map((w) => ALIASES[w.toLowerCase()] ?? nearest(w.toUpperCase(), candidates));
  if (events.size === 0) {
    const fixed = guesses.filter((g): g is string => g !== undefined);
    return fail(
      `${show(text)} names no mail event: use ${candidates.map((c) => `\`${c}\``).join(", ")}`,
      fixed.length > 0 && skipped.length === named.length ? [fixed.join(",")] : [],
    );
  }
  named.forEach((w, i) => {
    const guess = guesses[i];
    notes.push(
      `${show(w)} is not a mail event: sbatch skips it silently${guess ? ` (did you mean \`${guess}\`?)` : ""}`,
    );
  });
  if (skipped.length > named.length)
    notes.push(`${skipped.length - named.length} more unknown words are skipped too`);
  return ok({ events: MAIL_EVENTS.filter((e) => events.has(e)) }, notes);
}
