/**
 * The code upload's archive: the project directory as a deterministic tar + gzip. Identical trees
 * give byte-identical archives (and so the same sha256) on any machine: entries sorted by path
 * (code-unit order), uid/gid 0, no owner names, one fixed mtime, modes normalised to 0755 (any
 * execute bit) or 0644, directories 0755, gzip with a fixed header (mtime 0, OS "Unix").
 *
 * What is packed: every file, directory and in-tree symlink under the root, except what the
 * defaults (`DEFAULT_FLOWIGNORE`) and the root's `.flowignore` (gitignore syntax and semantics,
 * through the `ignore` package; a `!pattern` there can re-include a default) leave out; flow's
 * own `.flow/` folder (settings and the API key's credentials file) is never packed.
 * Refused, each with an error diagnostic naming the file (FCP009): a symlink with an absolute
 * target or one that leads out of the root — by its text, and by where it really leads (its real
 * path, through any other links on the way, must lie inside the root's real path) — and anything
 * that cannot be read. Sockets, FIFOs and
 * devices are left out with a warning (FCP011). An archive over `maxBytes` (default 10 MiB, the
 * Flow SDK's limit after gzip) is error FCP010 — never silently cut.
 *
 * This is one of the few modules that touch the filesystem (DESIGN: the code-upload packer); the
 * compiler itself receives the finished archive (`CompileOptions.code`), so `compile()` stays pure.
 */
import { createHash } from "node:crypto";
import { type Dirent, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { posix } from "node:path";
import ignore from "ignore";
import { type Diagnostic, diagnostic, hasErrors } from "../../../diagnostics/diagnostic.ts";
import { gzipDeterministic } from "../script/budget.ts";
import { type TarEntry, writeTar } from "./tar.ts";

/**
 * The C library's realpath: Node's own `realpathSync` folds `..` after a symlink textually
 * (`s/..` with `s -> .` comes out as the root, not its parent), which is the very bypass to catch.
 */
const realpath = realpathSync.native;

/** The most a code archive may weigh after gzip: 10 MiB. */
export const MAX_CODE_ARCHIVE_BYTES = 10 * 1024 * 1024;

/** Stop reading a project once its files add up to this much before compression. */
const MAX_RAW_BYTES = 512 * 1024 * 1024;

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

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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

/**
 * Packs the project at `rootDir` (see the module comment for what, and how deterministically).
 * Never throws on a bad tree: every problem is a diagnostic naming the path.
 */
export function buildCodeArchive(rootDir: string, options: CodeArchiveOptions = {}): CodeArchive {
  const maxBytes = options.maxBytes ?? MAX_CODE_ARCHIVE_BYTES;
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, suggestion?: string) =>
    diagnostics.push(
      diagnostic("FCP009", message, undefined, suggestion ? { suggestions: [{ message: suggestion }] } : {}),
    );
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
  const entries: TarEntry[] = [];
  let files = 0;
  let raw = 0;
  let tooBig = false;
  const walk = (relativeDir: string) => {
    let dirents: Dirent[];
    try {
      dirents = readdirSync(posix.join(rootDir, relativeDir), { withFileTypes: true });
    } catch (error) {
      fail(`cannot read the project directory \`${relativeDir || rootDir}\`: ${(error as Error).message}`);
      return;
    }
    for (const name of dirents.map((d) => d.name).sort(byCodeUnit)) {
      if (tooBig) return;
      const path = relativeDir === "" ? name : `${relativeDir}/${name}`;
      const full = posix.join(rootDir, path);
      let stat: ReturnType<typeof lstatSync>;
      try {
        stat = lstatSync(full);
      } catch (error) {
        fail(`cannot read \`${path}\`: ${(error as Error).message}`);
        continue;
      }
      if (stat.isDirectory()) {
        if (name === CONFIG_DIR || rules.ignores(`${path}/`)) continue;
        entries.push({ type: "directory", path, mode: 0o755 });
        walk(path);
      } else if (rules.ignores(path)) {
      } else if (stat.isFile()) {
        raw += stat.size;
        if (raw > MAX_RAW_BYTES) {
          tooBig = true;
          return;
        }
        try {
          const data = readFileSync(full);
          if (secrets.some((secret) => data.includes(secret))) {
            fail(
              `\`${path}\` contains the flow API key, which must never travel to an instance`,
              `remove the key from it, or list the file in ${FLOWIGNORE}`,
            );
            continue;
          }
          entries.push({ type: "file", path, mode: stat.mode & 0o111 ? 0o755 : 0o644, data });
          files++;
        } catch (error) {
          fail(`cannot read \`${path}\`: ${(error as Error).message}`);
        }
      } else if (stat.isSymbolicLink()) {
        const target = readlinkSync(full, "utf8");
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
          entries.push({ type: "symlink", path, target });
        }
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
  const archive = gzipDeterministic(writeTar(entries));
  if (archive.length > maxBytes) {
    const largest = entries
      .flatMap((e) => (e.type === "file" ? [e] : []))
      .sort((a, b) => b.data.length - a.data.length || byCodeUnit(a.path, b.path))
      .slice(0, 5);
    diagnostics.push(
      diagnostic(
        "FCP010",
        `the code archive of \`${rootDir}\` is ${mib(archive.length)} after gzip, over the limit of ${mib(maxBytes)}`,
        undefined,
        {
          notes: largest.map((e) => ({ message: `${e.path}: ${mib(e.data.length)}` })),
          ...advice,
        },
      ),
    );
    return result(Buffer.alloc(0), 0, diagnostics);
  }
  if (hasErrors(diagnostics)) return result(Buffer.alloc(0), 0, diagnostics);
  return result(archive, files, diagnostics);
}
