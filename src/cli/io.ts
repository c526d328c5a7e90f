/**
 * What a command may touch, injected so commands run in-process in tests: standard streams,
 * environment and working directory. Files are read relative to `cwd`.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of standard input (for `-` as a file name). */
  readonly readStdin: () => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether stderr is a terminal (colour is used only then, and never with NO_COLOR). */
  readonly stderrIsTTY: boolean;
  /** Whether stdout is a terminal (`status --watch` redraws only then). */
  readonly stdoutIsTTY: boolean;
}

/** Exit codes: 0 ok, 1 compile diagnostics, 2 usage, 3 remote/API failure, 130 interrupted. */
export const EXIT = { ok: 0, diagnostics: 1, usage: 2, remote: 3, interrupted: 130 } as const;

/** A usage problem (bad flag value, unreadable file): reported as `flow: …`, exit 2. */
export class UsageError extends Error {}

/** Colour on stderr: only on a TTY, never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR;
  return io.stderrIsTTY && (noColor === undefined || noColor === "");
}
