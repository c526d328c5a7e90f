/** Runs the CLI in-process with captured streams. */
import { run } from "../../src/cli/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  options: {
    cwd?: string;
    env?: Record<string, string>;
    stdin?: string;
    /** stderr (and, unless `stdoutTty` says otherwise, stdout) is a terminal */
    tty?: boolean;
    stdoutTty?: boolean;
  } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => options.stdin ?? "",
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stderrIsTTY: options.tty ?? false,
    stdoutIsTTY: options.stdoutTty ?? options.tty ?? false,
  });
  return { code, stdout, stderr };
}
