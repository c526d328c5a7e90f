/** File access for commands: reads relative to the injected cwd, `-` is stdin/stdout. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type CliIo, UsageError } from "./io.ts";

/** Reads a file (or stdin for `-`); a missing or unreadable file is a usage error. */
export async function readInput(io: CliIo, path: string): Promise<string> {
  if (path === "-") return io.readStdin();
  try {
    return await readFile(resolve(io.cwd, path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (code ?? "unreadable");
    throw new UsageError(`cannot read \`${path}\`: ${why}`);
  }
}

/** Writes an artefact to a file (or stdout for `-`). */
export async function writeOutput(io: CliIo, path: string, text: string): Promise<void> {
  if (path === "-") {
    io.stdout(text);
    return;
  }
  try {
    await writeFile(resolve(io.cwd, path), text);
  } catch (error) {
    throw new UsageError(`cannot write \`${path}\`: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

/** Creates a directory (and its parents) for artefacts; failure is a usage error. */
export async function makeDirectory(io: CliIo, path: string): Promise<void> {
  try {
    await mkdir(resolve(io.cwd, path), { recursive: true });
  } catch (error) {
    throw new UsageError(
      `cannot create directory \`${path}\`: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
}
