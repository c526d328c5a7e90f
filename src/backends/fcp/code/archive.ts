/**
 * The code upload's archive: the project directory as a deterministic tar + gzip. Identical trees
 * give byte-identical archives (and so the same sha256) on any machine: entries sorted by path
 * (code-unit order), uid/gid 0, no owner names, one fixed mtime, modes normalised to 0755 (any
 * execute bit) or 0644, directories 0755, gzip with a fixed header (mtime 0, OS "Unix").
 *
 * What is packed: every file, directory and in-tree symlink under the root, except what the
 * defaults (`DEFAULT_FLOWIGNORE`) and the root's `.flowignore` (gitignore syntax and semantics,
 * through the `ignore` package; a `!pattern` there can re-include a default) leave out; flow's
 * own `.flow/` folder (settings and the API key's credentials file) is never packed. The ignore
 * rules are asked first, by name and the directory entry's type, so an ignored entry is never
 * opened, read or checked, and an ignored directory never entered. An entry removed while its
 * directory is listed is left out as if it had gone before, also where the filesystem records no
 * entry types and each one must be looked up (`readEntries`).
 * Refused, each with an error diagnostic naming the file (FCP009): a symlink with an absolute
 * target or one that leads out of the root — by its text, and by where it really leads (its real
 * path, through any other links on the way, must lie inside the root's real path) — a name or
 * link target that is not valid UTF-8, a file that changes while it is read, and anything that
 * cannot be read. Sockets, FIFOs and devices are left out with a warning (FCP011). An archive
 * over `maxBytes` (default 10 MiB, the Flow SDK's limit after gzip) is error FCP010 — never
 * silently cut.
 *
 * Memory stays bounded whatever the project holds: files are read in 1 MiB pieces and the tar is
 * compressed as it is written. A tar of up to `bufferBytes` (16 MiB) is gzip'd in one call; past
 * that a worker thread compresses it as it comes (the packer stays synchronous: it waits for the
 * worker on a shared flag), packing stops as soon as the compressed bytes pass `maxBytes`, and
 * the gzip stream is the very one the single call gives for the same tar. A worker that fails
 * (throws, even as it starts, or exits) says so at once through that flag: FCP009 with its reason.
 *
 * This is one of the few modules that touch the filesystem (DESIGN: the code-upload packer); the
 * compiler itself receives the finished archive (`CompileOptions.code`), so `compile()` stays pure.
 */
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
} from "node:fs";
import { posix } from "node:path";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import ignore from "ignore";
import { type Diagnostic, diagnostic } from "../../../diagnostics/diagnostic.ts";
import { compareCodeUnits } from "../../../source/code-units.ts";
import { deterministicGzipHeader, gzipDeterministic } from "../script/budget.ts";
import { tarEnd, tarHeader, tarPadding } from "./tar.ts";

/**
 * The C library's realpath: Node's own `realpathSync` folds `..` after a symlink textually
 * (`s/..` with `s -> .` comes out as the root, not its parent), which is the very bypass to catch.
 */
const realpath = realpathSync.native;

/** The most a code archive may weigh after gzip: 10 MiB. */
export const MAX_CODE_ARCHIVE_BYTES = 10 * 1024 * 1024;

/** Stop reading a project once its files add up to this much before compression. */
const MAX_RAW_BYTES = 512 * 1024 * 1024;

/** How much tar is gzip'd in one call (`CodeArchiveOptions.bufferBytes`): 16 MiB. */
export const DEFAULT_BUFFER_BYTES = 16 * 1024 * 1024;

/** Files are read, and the tar handed to the compressing worker, in pieces of this size. */
const PIECE = 1024 * 1024;

/** How long the packer waits for the compressing worker to answer before it gives up. */
const WORKER_TIMEOUT_MS = 60_000;

/**
 * Opens a file without following a symlink (one swapped in after the directory was read would
 * otherwise be followed out of the tree) and without blocking (on a FIFO swapped in likewise).
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The ignore file read from the project root. */
const FLOWIGNORE = ".flowignore";

/**
 * flow's own settings and credentials folder (`.flow/`, src/config): never packed, whatever
 * `.flowignore` says — the API key must not travel in a startup script (DESIGN invariant 6).
 */
const CONFIG_DIR = ".flow";

/** Left out of every upload unless `.flowignore` re-includes them with `!`. */
export const DEFAULT_FLOWIGNORE: readonly string[] = [
  ".git/",
  ".hg/",
  ".svn/",
  "node_modules/",
  "__pycache__/",
  "*.pyc",
  "*.pyo",
  ".venv/",
  "venv/",
  ".mypy_cache/",
  ".pytest_cache/",
  ".ruff_cache/",
  ".tox/",
  ".ipynb_checkpoints/",
  ".DS_Store",
];

/** Options of `buildCodeArchive`. */
export interface CodeArchiveOptions {
  /** Largest archive accepted, in bytes after gzip; default `MAX_CODE_ARCHIVE_BYTES`. */
  readonly maxBytes?: number;
  /** Patterns added after the defaults and before `.flowignore` (gitignore syntax). */
  readonly ignore?: readonly string[];
  /**
   * Secrets no packed file may contain (the CLI passes the API key): a file holding one is refused
   * (FCP009, naming the file, never the secret), so it cannot travel in a startup script.
   */
  readonly secrets?: readonly string[];
  /**
   * Tar bytes held in memory before compressing as they come; default `DEFAULT_BUFFER_BYTES`.
   * The archive is the same either way: a larger value only trades memory for the worker thread.
   */
  readonly bufferBytes?: number;
}

/** A built code archive. `archive` is empty when `diagnostics` has an error. */
export interface CodeArchive {
  /** The tar + gzip bytes. */
  readonly archive: Buffer;
  /** Lower-case hex sha256 of `archive`. */
  readonly sha256: string;
  /** Regular files packed. */
  readonly files: number;
  /** `archive.length`. */
  readonly bytes: number;
  /** FCP009/FCP010 errors, FCP011 warnings. */
  readonly diagnostics: Diagnostic[];
}

function result(archive: Buffer, files: number, diagnostics: Diagnostic[]): CodeArchive {
  return {
    archive,
    sha256: createHash("sha256").update(archive).digest("hex"),
    files,
    bytes: archive.length,
    diagnostics,
  };
}

/**
 * The real path a symlink leads to. A dangling link (or one whose target does not exist yet) is
 * resolved as far as the filesystem goes — every existing component through its own links — and
 * the rest is taken as written, so a missing file cannot hide an escape.
 *
 * @throws on a link loop, or when a directory cannot be read.
 */
function realTarget(link: string): string {
  try {
    return realpath(link);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  let at = realpath(posix.dirname(link));
  const parts = readlinkSync(link, "utf8").split("/");
  for (const [i, part] of parts.entries()) {
    if (part === "" || part === ".") continue;
    const next = part === ".." ? posix.dirname(at) : posix.join(at, part);
    try {
      at = realpath(next);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const rest = parts.slice(i + 1).filter((p) => p !== "");
      // a dangling link on the way: where it leads, then the rest
      if (lstatSync(next, { throwIfNoEntry: false })?.isSymbolicLink()) {
        return posix.resolve(realTarget(next), ...rest);
      }
      // the first missing component: nothing below it exists, so the rest resolves as text
      return posix.resolve(next, ...rest);
    }
  }
  return at;
}

/** "1.5 MiB" style sizes for messages. */
function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** The text of `bytes` when they are valid UTF-8, else undefined. */
function utf8(bytes: Buffer): string | undefined {
  return isUtf8(bytes) ? bytes.toString("utf8") : undefined;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** `bytes` as text for a message: each byte that is not part of valid UTF-8 shown as `\xNN`. */
function shownBytes(bytes: Buffer): string {
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] ?? 0;
    const length =
      lead < 0x80 ? 1 : lead < 0xc2 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 0;
    let text: string | undefined;
    if (length > 0 && i + length <= bytes.length) {
      try {
        text = strictUtf8.decode(bytes.subarray(i, i + length));
      } catch {
        text = undefined;
      }
    }
    if (text === undefined) {
      out += `\\x${lead.toString(16).padStart(2, "0")}`;
      i++;
    } else {
      out += text;
      i += length;
    }
  }
  return out;
}

/**
 * A `.flowignore` pattern that matches exactly `path` (as decoded, each undecodable byte read as
 * U+FFFD, which `?` matches): anchored at the root, gitignore's special characters escaped.
 */
function patternFor(path: string, directory: boolean): string {
  const escaped = path
    .replace(/[\\*?[\]]/g, "\\$&")
    .replace(/ +$/, (spaces) => "\\ ".repeat(spaces.length))
    .replaceAll("\uFFFD", "?");
  return `/${escaped}${directory ? "/" : ""}`;
}

/** Closes a file only read from: nothing was written, so a failure to close changes nothing. */
function closeFile(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    return;
  }
}

/** The compressing worker failed or stopped answering. */
class CompressorError extends Error {}

/**
 * The compressing worker's program: a level-9 gzip stream (what `gzipSync` runs, and zlib's output
 * does not depend on how its input is split), fed one piece a message. The piece's memory is
 * transferred there and back, so none is copied or left for the collector; each answer carries
 * the compressed bytes made since the one before, the last (after `null`) the rest. It runs inside
 * `workerSource`'s guard, which gives it `require`, `port`, `answer` and `fail`.
 */
const GZIP_PROGRAM = `const { createGzip } = require("node:zlib");
const gzip = createGzip({ level: 9 });
let out = [];
const taken = () => {
  const bytes = Buffer.concat(out);
  out = [];
  return bytes;
};
gzip.on("data", (chunk) => out.push(chunk));
gzip.on("error", fail);
gzip.on("end", () => answer({ out: taken() }));
port.on("message", (message) => {
  if (message === null) return void gzip.end();
  const { piece, length } = message;
  gzip.write(piece.subarray(0, length), (error) =>
    error ? fail(error) : answer({ out: taken(), piece }, [piece.buffer]),
  );
});
`;

/** The shared flag's states: the packer waits while it is `WAITING`. */
const WAITING = 0;
const ANSWERED = 1;
/** Set once and for good: the worker failed, its last message says why. */
const FAILED = 2;

/**
 * The worker thread's source: `program` run behind a guard that reports any failure of the worker
 * — `program` throwing as it starts (even a syntax error), an exception thrown later, the thread
 * exiting — at once, as a last message and the flag set to `FAILED`, so the blocked packer wakes
 * and says why instead of waiting for its timeout.
 */
function workerSource(program: string): string {
  return `"use strict";
const { workerData } = require("node:worker_threads");
const { port, signal } = workerData;
let failed = false;
const answer = (message, transfer) => {
  if (failed) return;
  port.postMessage(message, transfer);
  Atomics.store(signal, 0, ${ANSWERED});
  Atomics.notify(signal, 0);
};
const fail = (error) => {
  if (failed) return;
  failed = true;
  try {
    port.postMessage({ error: String((error && error.message) || error) });
  } finally {
    Atomics.store(signal, 0, ${FAILED});
    Atomics.notify(signal, 0);
  }
};
process.on("uncaughtException", fail);
process.on("exit", (code) => fail("the compressing worker stopped (exit code " + code + ")"));
try {
  new Function("require", "port", "answer", "fail", ${JSON.stringify(program)})(require, port, answer, fail);
} catch (error) {
  fail(error);
}
`;
}

/**
 * Not part of the API (src/index.ts does not export it): the compressing worker's program and how
 * long the packer waits for each of its answers. Tests swap in a failing program to see how the
 * failure is reported.
 *
 * @internal
 */
export const compressor: { program: string; timeoutMs: number } = {
  program: GZIP_PROGRAM,
  timeoutMs: WORKER_TIMEOUT_MS,
};

/** A worker's answer. */
interface Answer {
  readonly out?: Uint8Array;
  readonly piece?: Uint8Array;
  readonly error?: string;
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * gzip in a worker thread, driven synchronously: each call posts a message and blocks on a shared
 * flag until the worker answers or reports a failure, so the packer can stay a plain function.
 */
class GzipWorker {
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    try {
      this.worker = new Worker(workerSource(compressor.program), {
        eval: true,
        workerData: { port: port2, signal: this.signal },
        transferList: [port2],
      });
    } catch (error) {
      this.port.close();
      throw new CompressorError(`cannot start the compressing worker: ${(error as Error).message}`);
    }
    this.worker.unref();
    // The packer is blocked while this event would be delivered: the worker reports its own
    // failures through the flag (see `workerSource`); a listener keeps this one from crashing us.
    this.worker.on("error", () => undefined);
  }

  private exchange(message: unknown, transfer: ArrayBuffer[] = []): Answer {
    // the answer before is taken; a failure stays, so the wait below ends at once
    Atomics.compareExchange(this.signal, 0, ANSWERED, WAITING);
    this.port.postMessage(message, transfer);
    if (Atomics.wait(this.signal, 0, WAITING, compressor.timeoutMs) === "timed-out") {
      throw new CompressorError(`the compressing worker gave no answer in ${compressor.timeoutMs / 1000} s`);
    }
    const answer = receiveMessageOnPort(this.port)?.message as Answer | undefined;
    if (answer?.out === undefined) {
      throw new CompressorError(answer?.error ?? "the compressing worker's answer was lost");
    }
    return answer;
  }

  /**
   * Compresses the first `length` bytes of `piece`, whose memory travels to the worker and back:
   * returns the compressed bytes made so far and the piece to fill next.
   */
  write(piece: Buffer, length: number): { out: Buffer; piece: Buffer } {
    const answer = this.exchange({ piece, length }, [piece.buffer as ArrayBuffer]);
    if (answer.piece === undefined) throw new CompressorError("the compressing worker kept the data");
    return { out: asBuffer(answer.out as Uint8Array), piece: asBuffer(answer.piece) };
  }

  /** Ends the stream: the rest of the compressed bytes. */
  end(): Buffer {
    return asBuffer(this.exchange(null).out as Uint8Array);
  }

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

/**
 * Where the tar goes: copied and held until it passes `bufferBytes`, then staged in one piece of
 * memory that a `GzipWorker` compresses each time it is full, the output counted against
 * `maxBytes`. Writers may reuse what they wrote: it is copied.
 */
class ArchiveSink {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private worker: GzipWorker | undefined;
  private piece: Buffer = Buffer.alloc(0);
  private filled = 0;
  private readonly compressed: Buffer[] = [];
  /** Compressed bytes so far (0 until the worker is started). */
  compressedBytes = 0;
  private readonly maxBytes: number;
  private readonly bufferBytes: number;

  constructor(maxBytes: number, bufferBytes: number) {
    this.maxBytes = maxBytes;
    this.bufferBytes = bufferBytes;
  }

  /** The compressed bytes so far are over the limit: the archive cannot be accepted. */
  get over(): boolean {
    return this.compressedBytes > this.maxBytes;
  }

  write(data: Buffer): void {
    if (data.length === 0 || this.over) return;
    if (this.worker !== undefined) {
      this.stage(data);
      return;
    }
    this.pending.push(Buffer.from(data));
    this.pendingBytes += data.length;
    if (this.pendingBytes <= this.bufferBytes) return;
    this.worker = new GzipWorker();
    this.piece = Buffer.alloc(PIECE);
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const held of pending) this.stage(held);
  }

  /** Copies `data` into the piece, handing it to the worker each time it is full. */
  private stage(data: Buffer): void {
    for (let at = 0; at < data.length && !this.over; ) {
      const copied = data.copy(this.piece, this.filled, at);
      this.filled += copied;
      at += copied;
      if (this.filled === this.piece.length) this.send();
    }
  }

  private send(): void {
    const { out, piece } = (this.worker as GzipWorker).write(this.piece, this.filled);
    this.piece = piece;
    this.filled = 0;
    this.take(out);
  }

  private take(out: Buffer): void {
    if (out.length === 0) return;
    this.compressed.push(out);
    this.compressedBytes += out.length;
  }

  /**
   * The whole gzip stream of what was written; undefined when compressing stopped at the limit
   * (`over`) before the end, so its size is not known.
   */
  finish(): Buffer | undefined {
    if (this.worker === undefined) return gzipDeterministic(Buffer.concat(this.pending, this.pendingBytes));
    if (this.filled > 0 && !this.over) this.send();
    if (this.over) return undefined;
    this.take(this.worker.end());
    return deterministicGzipHeader(Buffer.concat(this.compressed));
  }

  close(): void {
    this.worker?.close();
    this.worker = undefined;
    this.pending = [];
  }
}

/** What a directory entry is, from the listing or from `lstat`. */
type EntryType = Pick<Dirent, "isDirectory" | "isFile" | "isSymbolicLink">;

/** A directory entry: its raw name, and its type when the listing gave it. */
interface Entry {
  readonly name: Buffer;
  readonly type: EntryType | undefined;
}

/**
 * The entries of `dir`, each with the type the directory gives. Where the filesystem does not
 * record types, Node looks each entry up (`lstat`) while listing, and one entry removed meanwhile
 * fails the whole listing: then the names alone are listed, their types left for the packer to
 * look up, after its rules — skipping what has gone by then.
 *
 * @throws when the directory cannot be read.
 */
function readEntries(dir: string): Entry[] {
  try {
    return readdirSync(dir, { withFileTypes: true, encoding: "buffer" }).map((dirent) => ({
      name: dirent.name,
      type: dirent,
    }));
  } catch {
    // an entry's lookup failed, or the directory cannot be read (then this throws too)
    return readdirSync(dir, { encoding: "buffer" }).map((name) => ({ name, type: undefined }));
  }
}

/**
 * Packs the project at `rootDir` (see the module comment for what, and how deterministically).
 * Never throws on a bad tree: every problem is a diagnostic naming the path.
 */
export function buildCodeArchive(rootDir: string, options: CodeArchiveOptions = {}): CodeArchive {
  const maxBytes = options.maxBytes ?? MAX_CODE_ARCHIVE_BYTES;
  const sink = new ArchiveSink(maxBytes, options.bufferBytes ?? DEFAULT_BUFFER_BYTES);
  const diagnostics: Diagnostic[] = [];
  try {
    return pack(rootDir, maxBytes, options, sink, diagnostics);
  } catch (error) {
    if (!(error instanceof CompressorError)) throw error;
    diagnostics.push(
      diagnostic("FCP009", `cannot compress the code archive of \`${rootDir}\`: ${error.message}`, undefined),
    );
    return result(Buffer.alloc(0), 0, diagnostics);
  } finally {
    sink.close();
  }
}

/** `buildCodeArchive`'s walk: the tree into `sink`, its problems into `diagnostics`. */
function pack(
  rootDir: string,
  maxBytes: number,
  options: CodeArchiveOptions,
  sink: ArchiveSink,
  diagnostics: Diagnostic[],
): CodeArchive {
  const secrets = (options.secrets ?? [])
    .filter((secret) => secret.length >= 8)
    .map((secret) => Buffer.from(secret, "utf8"));
  // a secret split between two pieces of a file is found in the last bytes of one and the next
  const overlap = Math.max(0, ...secrets.map((secret) => secret.length - 1));
  // once the archive is refused nothing more is compressed, but every problem is still reported
  let refused = false;
  const fail = (message: string, suggestion?: string) => {
    refused = true;
    diagnostics.push(
      diagnostic("FCP009", message, undefined, suggestion ? { suggestions: [{ message: suggestion }] } : {}),
    );
  };
  const emit = (data: Buffer) => {
    if (!refused) sink.write(data);
  };
  const rules = ignore().add([...DEFAULT_FLOWIGNORE]);
  if (options.ignore) rules.add([...options.ignore]);
  try {
    rules.add(readFileSync(posix.join(rootDir, FLOWIGNORE), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      fail(`cannot read ${FLOWIGNORE} in \`${rootDir}\`: ${(error as Error).message}`);
    }
  }
  // Where the root really is, and whether a link really leads inside it: its target may pass
  // through other links (`s -> .` makes `t -> s/..` the root's parent, which reads as `.`).
  let realRoot: string | undefined;
  const insideRoot = (link: string): boolean => {
    try {
      realRoot ??= realpath(rootDir);
      const target = realTarget(link);
      return target === realRoot || target.startsWith(realRoot === "/" ? "/" : `${realRoot}/`);
    } catch {
      return false;
    }
  };
  let files = 0;
  let raw = 0;
  let read = 0;
  let tooBig = false;
  /** The file being packed when the compressed size passed the limit. */
  let at = "";
  /** The five largest files met, largest first: named when the archive is too big. */
  let largest: { readonly path: string; readonly size: number }[] = [];
  const changed = (path: string) =>
    fail(
      `\`${path}\` changed while it was being packed`,
      `pack again once nothing writes to it, or list it in ${FLOWIGNORE}`,
    );
  // every file is read through this one piece of memory (the sink copies what it keeps)
  const readBuffer = Buffer.allocUnsafe(PIECE);
  const packFile = (path: string, full: string) => {
    let fd: number;
    try {
      fd = openSync(full, OPEN_FLAGS);
    } catch (error) {
      fail(`cannot read \`${path}\`: ${(error as Error).message}`);
      return;
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return changed(path);
      raw += stat.size;
      if (raw > MAX_RAW_BYTES) {
        tooBig = true;
        return;
      }
      at = path;
      largest = [...largest, { path, size: stat.size }]
        .sort((a, b) => b.size - a.size || compareCodeUnits(a.path, b.path))
        .slice(0, 5);
      emit(tarHeader({ type: "file", path, mode: stat.mode & 0o111 ? 0o755 : 0o644, size: stat.size }));
      let tail = Buffer.alloc(0);
      for (let left = stat.size; left > 0 && !sink.over; ) {
        const n = readSync(fd, readBuffer, 0, Math.min(PIECE, left), null);
        if (n === 0) return changed(path);
        const data = readBuffer.subarray(0, n);
        if (overlap > 0) {
          const seam = Buffer.concat([tail, data.subarray(0, overlap)]);
          if (secrets.some((secret) => data.includes(secret) || seam.includes(secret))) {
            return fail(
              `\`${path}\` contains the flow API key, which must never travel to an instance`,
              `remove the key from it, or list the file in ${FLOWIGNORE}`,
            );
          }
          tail = Buffer.from(
            data.length >= overlap ? data.subarray(data.length - overlap) : seam.subarray(-overlap),
          );
        }
        emit(data);
        left -= n;
        read += n;
      }
      if (sink.over) return;
      if (readSync(fd, Buffer.alloc(1), 0, 1, null) > 0) return changed(path);
      emit(tarPadding(stat.size));
      files++;
    } catch (error) {
      // the compressor's failure is the whole archive's, reported as such (`buildCodeArchive`)
      if (error instanceof CompressorError) throw error;
      fail(`cannot read \`${path}\`: ${(error as Error).message}`);
    } finally {
      closeFile(fd);
    }
  };
  const packLink = (path: string, full: string) => {
    let bytes: Buffer;
    try {
      bytes = readlinkSync(full, "buffer");
    } catch (error) {
      fail(`cannot read \`${path}\`: ${(error as Error).message}`);
      return;
    }
    const target = utf8(bytes);
    if (target === undefined) {
      fail(
        `\`${path}\` is a symlink to \`${shownBytes(bytes)}\`, a name that is not valid UTF-8, which the archive cannot hold`,
        `link to a name in UTF-8, or list it in ${FLOWIGNORE}`,
      );
      return;
    }
    const resolved = posix.normalize(posix.join(posix.dirname(path), target));
    if (posix.isAbsolute(target)) {
      fail(
        `\`${path}\` is a symlink to the absolute path \`${target}\`, which the instance does not have`,
        `replace it with a relative link inside the project, or list it in ${FLOWIGNORE}`,
      );
    } else if (resolved === ".." || resolved.startsWith("../") || !insideRoot(full)) {
      fail(
        `\`${path}\` is a symlink to \`${target}\`, outside the project`,
        `copy what it points to into the project, or list it in ${FLOWIGNORE}`,
      );
    } else {
      emit(tarHeader({ type: "symlink", path, target }));
    }
  };
  const walk = (relativeDir: string) => {
    const dir = posix.join(rootDir, relativeDir);
    let entries: Entry[];
    try {
      entries = readEntries(dir);
    } catch (error) {
      fail(`cannot read the project directory \`${relativeDir || rootDir}\`: ${(error as Error).message}`);
      return;
    }
    const named = entries
      .map((entry) => ({ ...entry, text: entry.name.toString("utf8") }))
      .sort((a, b) => compareCodeUnits(a.text, b.text));
    for (const { name: rawName, text: name, type: listed } of named) {
      if (tooBig || sink.over) return;
      const path = relativeDir === "" ? name : `${relativeDir}/${name}`;
      // The rules first, on the name and the entry's type from the directory itself: what they
      // leave out is never opened, read or checked (whatever its name), nor entered.
      const ignored = (directory: boolean) =>
        directory ? name === CONFIG_DIR || rules.ignores(`${path}/`) : rules.ignores(path);
      let type = listed;
      if (type === undefined) {
        // the listing gave no types: an entry left out whatever its type is never looked at
        if (ignored(true) && ignored(false)) continue;
        try {
          type = lstatSync(Buffer.concat([Buffer.from(`${dir}/`), rawName]));
        } catch (error) {
          // gone since the directory was read: as if it had gone before
          if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
          fail(
            `cannot read \`${relativeDir === "" ? "" : `${relativeDir}/`}${shownBytes(rawName)}\`: ${(error as Error).message}`,
          );
          continue;
        }
      }
      const directory = type.isDirectory();
      if (ignored(directory)) continue;
      if (!isUtf8(rawName)) {
        const shown = relativeDir === "" ? shownBytes(rawName) : `${relativeDir}/${shownBytes(rawName)}`;
        fail(
          `\`${shown}\` has a name that is not valid UTF-8, which the archive cannot hold`,
          `rename it, or list it in ${FLOWIGNORE} (\`${patternFor(path, directory)}\` matches it)`,
        );
        continue;
      }
      const full = posix.join(rootDir, path);
      if (directory) {
        emit(tarHeader({ type: "directory", path, mode: 0o755 }));
        walk(path);
      } else if (type.isFile()) {
        packFile(path, full);
      } else if (type.isSymbolicLink()) {
        packLink(path, full);
      } else {
        diagnostics.push(
          diagnostic(
            "FCP011",
            `\`${path}\` is not a regular file, directory or symlink (a socket, FIFO or device): left out of the code upload`,
            undefined,
          ),
        );
      }
    }
  };
  walk("");
  const advice = {
    suggestions: [
      {
        message: `list data, checkpoints and build output in ${FLOWIGNORE} (gitignore syntax), or set \`upload_code: false\` and put the code in the image or on a volume`,
      },
    ],
  };
  const notes = largest.map((e) => ({ message: `${e.path}: ${mib(e.size)}` }));
  if (tooBig) {
    diagnostics.push(
      diagnostic(
        "FCP010",
        `the project at \`${rootDir}\` holds more than ${mib(MAX_RAW_BYTES)} of files: too much to upload as code (limit ${mib(maxBytes)} compressed)`,
        undefined,
        advice,
      ),
    );
    return result(Buffer.alloc(0), 0, diagnostics);
  }
  if (refused) return result(Buffer.alloc(0), 0, diagnostics);
  emit(tarEnd());
  const archive = sink.over ? undefined : sink.finish();
  if (archive === undefined) {
    diagnostics.push(
      diagnostic(
        "FCP010",
        `the code archive of \`${rootDir}\` is more than ${mib(sink.compressedBytes)} after gzip, over the limit of ${mib(maxBytes)}: packing stopped there, at \`${at}\` with ${mib(read)} of files read`,
        undefined,
        { notes, ...advice },
      ),
    );
    return result(Buffer.alloc(0), 0, diagnostics);
  }
  if (archive.length > maxBytes) {
    diagnostics.push(
      diagnostic(
        "FCP010",
        `the code archive of \`${rootDir}\` is ${mib(archive.length)} after gzip, over the limit of ${mib(maxBytes)}`,
        undefined,
        { notes, ...advice },
      ),
    );
    return result(Buffer.alloc(0), 0, diagnostics);
  }
  return result(archive, files, diagnostics);
}
