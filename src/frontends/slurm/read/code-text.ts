/**
 * Source text shown in a diagnostic message: in backquotes, and cut to a readable length so that a
 * huge word (a 100 kB line is valid input) never makes a huge message.
 */

const MAX_SHOWN = 60;

/** `text` in backquotes, shortened with an ellipsis past 60 characters. */
export function code(text: string): string {
  return `\`${text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text}\``;
}
