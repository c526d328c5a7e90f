/**
 * The `flow` executable: binds the CLI to the real process. (`dist/cli.js`, the launcher written by
 * scripts/build.mjs, turns on Node's compile cache before importing this bundle.)
 */
import { config } from "zod/mini";
import { run } from "./main.ts";

// A CLI run parses one document: zod's JIT (code generation for object schemas) costs more than it
// saves there. Set here, in the executable only: the library never changes zod's global config.
config({ jitless: true });

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

process.on("SIGINT", () => process.exit(130));

const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  env: process.env,
  cwd: process.cwd(),
  stderrIsTTY: process.stderr.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
});
process.exitCode = code;
