/**
 * The compressed form of a startup script: when the raw script is over the limit, it ships as a
 * small bootstrap that carries the script gzip'd and base64'd in a quoted here-document, decodes
 * it to `$FLOW_LOG_DIR/startup.sh`, checks its sha256 (so a damaged script never runs) and
 * replaces itself with it (`exec bash`); its EXIT trap records a failure to get there as the
 * script's own would. Shell text compresses 3–5×, so after base64's 4/3 the
 * bootstrap holds a script of roughly twice the limit. The bootstrap's own text is ASCII.
 *
 * The gzip stream is deterministic (mtime 0, fixed header bytes), so the same script always gives
 * the same bootstrap (DESIGN invariant 7).
 */
import { createRequire } from "node:module";
import { exitTrap, LOG_DIR_VARIABLE, preambleLines } from "./sections/header.ts";
import { heredocDelimiter } from "./sections/setup.ts";

/**
 * zlib and crypto are loaded on first use: most scripts fit raw, and loading the two modules
 * costs every `flow compile` several milliseconds of start-up.
 */
const load = createRequire(import.meta.url);
const gzipSync: typeof import("node:zlib").gzipSync = (...args) =>
  (load("node:zlib") as typeof import("node:zlib")).gzipSync(...args);
const createHash: typeof import("node:crypto").createHash = (...args) =>
  (load("node:crypto") as typeof import("node:crypto")).createHash(...args);

/** The name of the decompressed script inside the log directory. */
const DECOMPRESSED_SCRIPT = "startup.sh";

/** gzip `data` at level 9 with a header that does not depend on the machine. */
export function gzipDeterministic(data: Buffer): Buffer {
  return deterministicGzipHeader(gzipSync(data, { level: 9 }));
}

/**
 * Sets a level-9 gzip stream's header fields that vary by machine and time (mtime 0, XFL 2 for
 * level 9, OS 3 "Unix"), in place: the one rule for every gzip flow makes, whole or streamed.
 */
export function deterministicGzipHeader(gzip: Buffer): Buffer {
  gzip.writeUInt32LE(0, 4);
  gzip[8] = 2;
  gzip[9] = 3;
  return gzip;
}

/**
 * The self-extracting bootstrap that runs `script`. It sets the header's EXIT trap itself, so a
 * script that cannot be decoded or fails its sha256 check still leaves its exit status and end
 * time (and, with `autoTerminate`, powers the instance off), as the raw script would; `exec`
 * hands over to the decoded script without running the trap, and that script sets its own.
 */
export function compressedScript(script: string, options: { autoTerminate?: boolean } = {}): string {
  const data = Buffer.from(script, "utf8");
  const base64 = gzipDeterministic(data).toString("base64");
  const sha256 = createHash("sha256").update(data).digest("hex");
  const delimiter = heredocDelimiter(base64);
  return [
    ...preambleLines(),
    exitTrap({ auto_terminate: options.autoTerminate === true }, false),
    `FLOW_S=$${LOG_DIR_VARIABLE}/${DECOMPRESSED_SCRIPT}`,
    `base64 -d <<'${delimiter}' | gunzip >"$FLOW_S"`,
    base64,
    delimiter,
    `echo "${sha256}  $FLOW_S" | sha256sum -c --quiet -`,
    'exec bash "$FLOW_S"',
    "",
  ].join("\n");
}
