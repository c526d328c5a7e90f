import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  buildCodeArchive,
  compressor,
  DEFAULT_BUFFER_BYTES,
  DEFAULT_FLOWIGNORE,
  MAX_CODE_ARCHIVE_BYTES,
} from "../../../../../src/backends/fcp/code/archive.ts";
import { TAR_MTIME, tarEnd, tarHeader, tarPadding } from "../../../../../src/backends/fcp/code/tar.ts";
import { gzipDeterministic } from "../../../../../src/backends/fcp/script/budget.ts";

/**
 * The packer's `readdirSync` and `lstatSync`, passed through unless a test replaces them (`fsHooks`)
 * — to play a filesystem that does not record entry types, and see what the packer looks up.
 */
const fsHooks = vi.hoisted(() => ({
  /** The real module, for the tests themselves. */
  real: undefined as unknown as typeof import("node:fs"),
  readdirSync: undefined as ((path: string, options: { withFileTypes?: boolean }) => unknown) | undefined,
  lstatSync: undefined as ((path: string | Buffer) => void) | undefined,
}));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  fsHooks.real = fs;
  return {
    ...fs,
    readdirSync: (...args: Parameters<typeof fs.readdirSync>) =>
      fsHooks.readdirSync
        ? fsHooks.readdirSync(args[0] as string, (args[1] ?? {}) as { withFileTypes?: boolean })
        : fs.readdirSync(...args),
    lstatSync: (...args: Parameters<typeof fs.lstatSync>) => {
      fsHooks.lstatSync?.(args[0] as string | Buffer);
      return fs.lstatSync(...args);
    },
  };
});

const realCompressor = { ...compressor };
const dirs: string[] = [];
afterEach(() => {
  fsHooks.readdirSync = undefined;
  fsHooks.lstatSync = undefined;
  Object.assign(compressor, realCompressor);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A member to write with `tarOf`: a file with its data, a directory or a symlink. */
type Member =
  | { readonly type: "file"; readonly path: string; readonly mode: number; readonly data: Buffer }
  | { readonly type: "directory"; readonly path: string; readonly mode: number }
  | { readonly type: "symlink"; readonly path: string; readonly target: string };

/** The tar stream of `members`, in order, ending in the format's two zero blocks. */
function tarOf(members: readonly Member[]): Buffer {
  const blocks = members.flatMap((member) =>
    member.type === "file"
      ? [tarHeader({ ...member, size: member.data.length }), member.data, tarPadding(member.data.length)]
      : [tarHeader(member)],
  );
  return Buffer.concat([...blocks, tarEnd()]);
}

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "flow-archive-"));
  dirs.push(dir);
  return dir;
}

/** Writes `files` (path → content) under a new directory. */
function tree(files: Record<string, string>): string {
  const root = temp();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** `tar -tvzf` of an archive: what GNU tar reads in it. */
function listing(archive: Buffer): string[] {
  const result = spawnSync("tar", ["-tvzf", "-"], { input: archive, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split("\n").filter(Boolean);
}

/** Creates `name` (raw bytes, e.g. not UTF-8) in `dir`: a file holding `content`, or a directory. */
function rawEntry(dir: string | Buffer, name: number[], content?: string): Buffer {
  const path = Buffer.concat([Buffer.from(dir), Buffer.from("/"), Buffer.from(name)]);
  if (content === undefined) mkdirSync(path);
  else writeFileSync(path, content);
  return path;
}

/** `size` bytes gzip cannot shrink, the same on every run. */
function incompressible(size: number, seed: string): Buffer {
  const blocks: Buffer[] = [];
  for (let h = createHash("sha256").update(seed).digest(), n = 0; n < size; n += h.length) {
    blocks.push(h);
    h = createHash("sha256").update(h).digest();
  }
  return Buffer.concat(blocks).subarray(0, size);
}

/** Whether `name` is (still) in `dir`. */
function existsIn(dir: string, name: string): boolean {
  return fsHooks.real.readdirSync(dir).includes(name);
}

function names(archive: Buffer): string[] {
  const result = spawnSync("tar", ["-tzf", "-"], { input: archive, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split("\n").filter(Boolean);
}

describe("buildCodeArchive", () => {
  it("packs a tree GNU tar reads back exactly, sorted, with normalised owners, times and modes", () => {
    const root = tree({ "train.py": "print(1)\n", "b/z.txt": "z", "b/a.txt": "a", "run.sh": "#!/bin/sh\n" });
    chmodSync(join(root, "run.sh"), 0o750);
    chmodSync(join(root, "train.py"), 0o600);
    const result = buildCodeArchive(root);
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toBe(4);
    expect(result.bytes).toBe(result.archive.length);
    expect(result.sha256).toBe(createHash("sha256").update(result.archive).digest("hex"));
    expect(listing(result.archive).map((l) => l.replace(/\s+/g, " "))).toEqual([
      "drwxr-xr-x 0/0 0 2000-01-01 00:00 b/",
      "-rw-r--r-- 0/0 1 2000-01-01 00:00 b/a.txt",
      "-rw-r--r-- 0/0 1 2000-01-01 00:00 b/z.txt",
      "-rwxr-xr-x 0/0 10 2000-01-01 00:00 run.sh",
      "-rw-r--r-- 0/0 9 2000-01-01 00:00 train.py",
    ]);
    const out = temp();
    expect(spawnSync("tar", ["-xzf", "-", "-C", out], { input: result.archive }).status).toBe(0);
    expect(readFileSync(join(out, "train.py"), "utf8")).toBe("print(1)\n");
    expect(readFileSync(join(out, "b/z.txt"), "utf8")).toBe("z");
  });

  it("gives byte-identical archives for identical trees, whatever their times and creation order", () => {
    const a = tree({ "x/1.txt": "one", "y.txt": "two" });
    const b = tree({ "y.txt": "two", "x/1.txt": "one" });
    utimesSync(join(b, "y.txt"), 12345, 67890);
    const first = buildCodeArchive(a);
    expect(buildCodeArchive(b).archive.equals(first.archive)).toBe(true);
    expect(buildCodeArchive(a).sha256).toBe(first.sha256);
    // gzip header: no timestamp, fixed OS byte
    expect(first.archive.readUInt32LE(4)).toBe(0);
    expect(first.archive[9]).toBe(3);
    writeFileSync(join(b, "y.txt"), "changed");
    expect(buildCodeArchive(b).sha256).not.toBe(first.sha256);
  });

  it("leaves out the defaults and what .flowignore says, with gitignore semantics", () => {
    const root = tree({
      ".git/HEAD": "ref",
      "node_modules/x/index.js": "",
      "src/__pycache__/m.cpython-312.pyc": "",
      "src/m.py": "",
      "src/m.pyc": "",
      "data/big.bin": "x",
      "data/keep.txt": "k",
      "logs/a.log": "",
      "notes.log": "",
      "important.log": "",
      ".flowignore": "data/*\n!data/keep.txt\n*.log\n!important.log\n/logs/\n",
    });
    expect(names(buildCodeArchive(root).archive)).toEqual([
      ".flowignore",
      "data/",
      "data/keep.txt",
      "important.log",
      "src/",
      "src/m.py",
    ]);
    expect(DEFAULT_FLOWIGNORE).toEqual(expect.arrayContaining([".git/", "node_modules/", "__pycache__/"]));
  });

  it("lets .flowignore re-include a default, but never flow's own .flow folder", () => {
    const root = tree({
      ".venv/lib.py": "",
      ".flow/credentials.yaml": "api_key: fk_secret\n",
      "sub/.flow/config.yaml": "",
      ".flowignore": "!.venv/\n!.flow/\n",
    });
    const archive = buildCodeArchive(root).archive;
    expect(names(archive)).toEqual([".flowignore", ".venv/", ".venv/lib.py", "sub/"]);
    expect(gunzipSync(archive).includes("fk_secret")).toBe(false);
  });

  it("refuses a file holding a secret it is told of, without naming the secret", () => {
    const root = tree({ ".env": "FLOW_API_KEY=fk_live_0123456789\n", "a.py": "" });
    const result = buildCodeArchive(root, { secrets: ["fk_live_0123456789"] });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["FCP009", "`.env` contains the flow API key, which must never travel to an instance"],
    ]);
    expect(JSON.stringify(result.diagnostics)).not.toContain("fk_live");
    expect(result.archive.length).toBe(0);
    expect(buildCodeArchive(root).diagnostics).toEqual([]);
  });

  it("keeps a symlink inside the tree and refuses one that leaves it or is absolute", () => {
    const root = tree({ "a.txt": "a", "dir/b.txt": "b" });
    symlinkSync("a.txt", join(root, "link"));
    symlinkSync("../a.txt", join(root, "dir", "up"));
    expect(listing(buildCodeArchive(root).archive).some((l) => l.includes("link -> a.txt"))).toBe(true);
    symlinkSync("../../etc/passwd", join(root, "dir", "escape"));
    symlinkSync("/etc/hosts", join(root, "abs"));
    const bad = buildCodeArchive(root);
    expect(bad.archive.length).toBe(0);
    expect(bad.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      [
        "FCP009",
        "error",
        "`abs` is a symlink to the absolute path `/etc/hosts`, which the instance does not have",
      ],
      ["FCP009", "error", "`dir/escape` is a symlink to `../../etc/passwd`, outside the project"],
    ]);
    expect(bad.diagnostics[0]!.suggestions[0]!.message).toContain(".flowignore");
    writeFileSync(join(root, ".flowignore"), "abs\ndir/escape\n");
    expect(buildCodeArchive(root).diagnostics).toEqual([]);
  });

  it("refuses a symlink that leaves the tree through another symlink, even a dangling one", () => {
    const root = tree({ "a.txt": "a", "dir/b.txt": "b" });
    // `s` is the root itself, so `s/..` is the root's parent, though it reads as `.`
    symlinkSync(".", join(root, "s"));
    symlinkSync("dir/../a.txt", join(root, "fine"));
    symlinkSync("missing/file", join(root, "dangling"));
    expect(buildCodeArchive(root).diagnostics).toEqual([]);
    symlinkSync("s/..", join(root, "t"));
    symlinkSync("s/../no-such-file", join(root, "u"));
    symlinkSync("d2/x", join(root, "v"));
    symlinkSync("s/../gone", join(root, "d2"));
    const bad = buildCodeArchive(root);
    expect(bad.archive.length).toBe(0);
    expect(bad.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["FCP009", "`d2` is a symlink to `s/../gone`, outside the project"],
      ["FCP009", "`t` is a symlink to `s/..`, outside the project"],
      ["FCP009", "`u` is a symlink to `s/../no-such-file`, outside the project"],
      ["FCP009", "`v` is a symlink to `d2/x`, outside the project"],
    ]);
  });

  it("leaves out a FIFO with a warning", () => {
    const root = tree({ "a.txt": "a" });
    expect(spawnSync("mkfifo", [join(root, "pipe")]).status).toBe(0);
    const result = buildCodeArchive(root);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FCP011"]);
    expect(result.diagnostics[0]!.message).toContain("`pipe`");
    expect(names(result.archive)).toEqual(["a.txt"]);
  });

  it("refuses an archive over the limit, naming the largest files", () => {
    const root = tree({ "small.txt": "s" });
    let data = "";
    for (let h = createHash("sha256").update("x").digest(); data.length < 40_000; ) {
      data += h.toString("hex");
      h = createHash("sha256").update(h).digest();
    }
    writeFileSync(join(root, "weights.hex"), data);
    const result = buildCodeArchive(root, { maxBytes: 10_000 });
    expect(result.archive.length).toBe(0);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FCP010"]);
    expect(result.diagnostics[0]!.message).toMatch(/after gzip, over the limit of 0\.0 MiB/);
    expect(result.diagnostics[0]!.notes[0]!.message).toMatch(/^weights\.hex: /);
    expect(MAX_CODE_ARCHIVE_BYTES).toBe(10 * 1024 * 1024);
    expect(buildCodeArchive(root).diagnostics).toEqual([]);
  });

  describe("ignores before it looks", () => {
    // b"bad\xff.bin", b"logs\xfe": names that are not UTF-8
    const badFile = [0x62, 0x61, 0x64, 0xff, 0x2e, 0x62, 0x69, 0x6e];
    const badDir = [0x6c, 0x6f, 0x67, 0x73, 0xfe];
    // These need a filesystem that takes such names (Linux does, CI is Linux); elsewhere they fail
    // loudly at `rawEntry` rather than pass unexercised.

    it("packs a project whose ignored entries have names that are not UTF-8", () => {
      const root = tree({ "a.py": "print(1)\n", ".flowignore": "*.bin\nlogs*/\n" });
      rawEntry(root, badFile, "x");
      rawEntry(rawEntry(root, badDir), [0x61], "inside");
      const result = buildCodeArchive(root);
      expect(result.diagnostics).toEqual([]);
      expect(result.files).toBe(2);
      expect(names(result.archive)).toEqual([".flowignore", "a.py"]);
    });

    it("refuses such a name when it is not ignored, with a pattern that ignores it", () => {
      const root = tree({ "a.py": "", "sub/ok.txt": "" });
      rawEntry(join(root, "sub"), badFile, "x");
      rawEntry(root, badDir);
      const result = buildCodeArchive(root);
      expect(result.archive.length).toBe(0);
      expect(result.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
        ["FCP009", "error", "`logs\\xfe` has a name that is not valid UTF-8, which the archive cannot hold"],
        [
          "FCP009",
          "error",
          "`sub/bad\\xff.bin` has a name that is not valid UTF-8, which the archive cannot hold",
        ],
      ]);
      const patterns = result.diagnostics.map(
        (d) => /`([^`]+)` matches it\)$/.exec(d.suggestions[0]!.message)?.[1],
      );
      expect(patterns).toEqual(["/logs?/", "/sub/bad?.bin"]);
      writeFileSync(join(root, ".flowignore"), `${patterns.join("\n")}\n`);
      const fixed = buildCodeArchive(root);
      expect(fixed.diagnostics).toEqual([]);
      expect(names(fixed.archive)).toEqual([".flowignore", "a.py", "sub/", "sub/ok.txt"]);
    });

    it("refuses a symlink whose target is not UTF-8 unless it is ignored", () => {
      const root = tree({ "a.py": "" });
      symlinkSync(Buffer.from([0x78, 0xff]), join(root, "link"));
      const result = buildCodeArchive(root);
      expect(result.diagnostics.map((d) => d.message)).toEqual([
        "`link` is a symlink to `x\\xff`, a name that is not valid UTF-8, which the archive cannot hold",
      ]);
      writeFileSync(join(root, ".flowignore"), "link\n");
      expect(buildCodeArchive(root).diagnostics).toEqual([]);
    });
  });

  describe("compressing as it goes", () => {
    /** A tree with files bigger than a read piece (1 MiB), long names, links and empty files. */
    function mixed(): string {
      const root = tree({
        "a.txt": "alpha\n".repeat(50_000),
        empty: "",
        [`${"d".repeat(120)}/${"e".repeat(90)}.py`]: "print('long')\n",
        "sub/model.py": "import torch\n".repeat(1000),
      });
      writeFileSync(join(root, "weights.bin"), incompressible(2_500_000, "w"));
      writeFileSync(join(root, "sub/zeros.bin"), Buffer.alloc(3_000_000));
      symlinkSync("sub/model.py", join(root, "model"));
      chmodSync(join(root, "a.txt"), 0o755);
      return root;
    }

    it("gives the very bytes of one gzip of the whole tar, however little it holds", () => {
      const root = mixed();
      const whole = buildCodeArchive(root);
      expect(whole.diagnostics).toEqual([]);
      const long = `${"d".repeat(120)}/${"e".repeat(90)}.py`;
      const tar = Buffer.concat([
        tarHeader({ type: "file", path: "a.txt", mode: 0o755, size: 300_000 }),
        Buffer.from("alpha\n".repeat(50_000)),
        tarPadding(300_000),
        tarHeader({ type: "directory", path: "d".repeat(120), mode: 0o755 }),
        tarOf([{ type: "file", path: long, mode: 0o644, data: Buffer.from("print('long')\n") }]).subarray(
          0,
          -1024,
        ),
        tarOf([{ type: "file", path: "empty", mode: 0o644, data: Buffer.alloc(0) }]).subarray(0, -1024),
        tarHeader({ type: "symlink", path: "model", target: "sub/model.py" }),
        tarHeader({ type: "directory", path: "sub", mode: 0o755 }),
        tarOf([
          {
            type: "file",
            path: "sub/model.py",
            mode: 0o644,
            data: Buffer.from("import torch\n".repeat(1000)),
          },
          { type: "file", path: "sub/zeros.bin", mode: 0o644, data: Buffer.alloc(3_000_000) },
          { type: "file", path: "weights.bin", mode: 0o644, data: incompressible(2_500_000, "w") },
        ]),
      ]);
      expect(whole.archive.equals(gzipDeterministic(tar))).toBe(true);
      for (const bufferBytes of [0, 1, 700_000, 4_000_000]) {
        const streamed = buildCodeArchive(root, { bufferBytes });
        expect(streamed.diagnostics).toEqual([]);
        expect(streamed.sha256, `bufferBytes ${bufferBytes}`).toBe(whole.sha256);
        expect(streamed.files).toBe(whole.files);
      }
      expect(DEFAULT_BUFFER_BYTES).toBe(16 * 1024 * 1024);
    });

    it("stops reading as soon as the compressed bytes pass the limit, saying how far it got", () => {
      const root = tree({});
      for (const name of ["a.bin", "b.bin", "c.bin"])
        writeFileSync(join(root, name), incompressible(1_500_000, name));
      // reached only if packing went on: a name that is not UTF-8
      rawEntry(root, [0x7a, 0xff], "z");
      const result = buildCodeArchive(root, { maxBytes: 1_000_000, bufferBytes: 0 });
      expect(result.archive.length).toBe(0);
      expect(result.diagnostics.map((d) => d.code)).toEqual(["FCP010"]);
      const [error] = result.diagnostics;
      expect(error!.message).toMatch(
        /^the code archive of `.*` is more than 1\.0 MiB after gzip, over the limit of 1\.0 MiB: packing stopped there, at `a\.bin` with 1\.0 MiB of files read$/,
      );
      expect(error!.notes.map((n) => n.message)).toEqual(["a.bin: 1.4 MiB"]);
      expect(error!.suggestions[0]!.message).toContain(".flowignore");
      // held in memory whole (the default), the same tree gets today's message, naming every file
      writeFileSync(join(root, ".flowignore"), "z*\n");
      const held = buildCodeArchive(root, { maxBytes: 1_000_000 });
      expect(held.diagnostics.map((d) => d.message)).toEqual([
        expect.stringMatching(
          /^the code archive of `.*` is 4\.3 MiB after gzip, over the limit of 1\.0 MiB$/,
        ),
      ]);
      expect(held.diagnostics[0]!.notes.map((n) => n.message)).toEqual([
        "a.bin: 1.4 MiB",
        "b.bin: 1.4 MiB",
        "c.bin: 1.4 MiB",
        ".flowignore: 0.0 MiB",
      ]);
    });

    it("finds a secret split between two pieces a file is read in", () => {
      const secret = "fk_live_0123456789";
      const data = Buffer.alloc(3 * 1024 * 1024, "x");
      data.write(secret, 1024 * 1024 - 5);
      const root = tree({ "a.py": "" });
      writeFileSync(join(root, "dump.txt"), data);
      for (const bufferBytes of [0, DEFAULT_BUFFER_BYTES]) {
        const result = buildCodeArchive(root, { secrets: [secret], bufferBytes });
        expect(result.diagnostics.map((d) => d.message)).toEqual([
          "`dump.txt` contains the flow API key, which must never travel to an instance",
        ]);
        expect(result.archive.length).toBe(0);
      }
      data.write("x".repeat(secret.length), 1024 * 1024 - 5);
      data.write(secret, data.length - secret.length);
      writeFileSync(join(root, "dump.txt"), data);
      expect(buildCodeArchive(root, { secrets: [secret] }).diagnostics).toHaveLength(1);
      writeFileSync(join(root, "dump.txt"), data.subarray(0, -1));
      expect(buildCodeArchive(root, { secrets: [secret] }).diagnostics).toEqual([]);
    });
  });

  describe("a compressing worker that fails", () => {
    // Far longer than a failing worker takes to say so (milliseconds): were a failure not reported
    // at once, the packer would wait this long and then report the timeout, not the failure's
    // reason — the test fails (after this wait, which blocks the thread: kept short).
    const HUGE_WAIT_MS = 30_000;

    it.each([
      ["throws as it starts", 'throw new Error("no zlib here");', "no zlib here"],
      ["does not even parse", "this is not JavaScript", "Unexpected identifier 'is'"],
      [
        "throws later, answering a piece",
        'port.on("message", () => { throw new Error("late failure"); });',
        "late failure",
      ],
      [
        "exits without an answer",
        'port.on("message", () => process.exit(7));',
        "the compressing worker stopped (exit code 7)",
      ],
    ])("is reported with its reason at once when it %s", (_, program, reason) => {
      const root = tree({ "a.py": "print(1)\n", "b.txt": "b".repeat(3 * 1024 * 1024) });
      Object.assign(compressor, { program, timeoutMs: HUGE_WAIT_MS });
      const result = buildCodeArchive(root, { bufferBytes: 0 });
      expect(result.archive.length).toBe(0);
      expect(result.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
        ["FCP009", "error", `cannot compress the code archive of \`${root}\`: ${reason}`],
      ]);
      Object.assign(compressor, realCompressor);
      expect(buildCodeArchive(root, { bufferBytes: 0 }).sha256).toBe(buildCodeArchive(root).sha256);
    });
  });

  describe("on a filesystem that does not record entry types", () => {
    /**
     * `readdirSync` as Node runs it there: the names, then `lstat` on each for its type — after
     * `vanish` has removed what it removes from the listed directory, between the two.
     */
    function withoutTypes(vanish: (dir: string) => void): string[] {
      const lookedUp: string[] = [];
      fsHooks.readdirSync = (dir, options) => {
        const { readdirSync, lstatSync } = fsHooks.real;
        if (!options.withFileTypes) {
          const names = readdirSync(dir, options as { encoding: "buffer" });
          vanish(dir);
          return names;
        }
        const names = readdirSync(dir, { encoding: "buffer" });
        vanish(dir);
        return names.map((name) =>
          Object.assign(lstatSync(Buffer.concat([Buffer.from(`${dir}/`), name])), { name }),
        );
      };
      fsHooks.lstatSync = (path) => void lookedUp.push(path.toString());
      return lookedUp;
    }

    it("packs as if an entry removed while the directory is read had gone before", () => {
      const root = tree({ "a.py": "print(1)\n", "c.tmp": "", "sub/b.py": "", "x.swp": "", "y.swp": "" });
      writeFileSync(join(root, ".flowignore"), "*.tmp\n");
      const lookedUp = withoutTypes((dir) => {
        // the editor's swap files go while flow lists the project: one before Node looks each
        // entry up (which then fails the whole listing), one before flow looks it up itself
        if (dir === root) rmSync(join(dir, existsIn(dir, "x.swp") ? "x.swp" : "y.swp"));
      });
      const result = buildCodeArchive(root);
      expect(result.diagnostics).toEqual([]);
      expect(names(result.archive)).toEqual([".flowignore", "a.py", "sub/", "sub/b.py"]);
      // flow looked the root's entries up itself, but not what the rules leave out whatever its type
      expect(lookedUp.map((path) => path.slice(root.length + 1)).sort()).toEqual([
        ".flowignore",
        "a.py",
        "sub",
        "y.swp",
      ]);
    });

    it("still refuses a listed entry it cannot look up for another reason", () => {
      const root = tree({ "a.py": "", "b.py": "" });
      withoutTypes(() => undefined);
      fsHooks.readdirSync = ((inner) => (dir: string, options: { withFileTypes?: boolean }) => {
        if (options.withFileTypes) throw Object.assign(new Error("ENOENT: gone"), { code: "ENOENT" });
        return inner?.(dir, options);
      })(fsHooks.readdirSync);
      fsHooks.lstatSync = (path) => {
        if (String(path).endsWith("/b.py")) throw Object.assign(new Error("EIO: i/o error"), { code: "EIO" });
      };
      const result = buildCodeArchive(root);
      expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
        ["FCP009", "cannot read `b.py`: EIO: i/o error"],
      ]);
    });
  });

  it("reports a missing project directory instead of throwing", () => {
    const result = buildCodeArchive(join(temp(), "nope"));
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FCP009"]);
    expect(result.diagnostics[0]!.message).toContain("cannot read the project directory");
  });
});

describe("tarHeader", () => {
  it("stores long paths and link targets in PAX headers that tar reads", () => {
    const long = `${"d".repeat(120)}/${"e".repeat(120)}/${"f".repeat(90)}.txt`;
    const target = `${"t".repeat(150)}`;
    const tar = tarOf([
      { type: "file", path: long, mode: 0o644, data: Buffer.from("x") },
      { type: "symlink", path: "l", target },
    ]);
    expect(tar.length % 512).toBe(0);
    const result = spawnSync("tar", ["-tvf", "-"], { input: tar, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(long);
    expect(result.stdout).toContain(`l -> ${target}`);
    expect(TAR_MTIME).toBe(946_684_800);
  });

  it("counts unicode paths in UTF-8 bytes, so tar extracts every name and content exactly", () => {
    const files = [
      "données/ファイル.txt", // short: fits the name field
      "é".repeat(60), // 60 characters but 120 bytes, no slash: only a PAX header can hold it
      `${"ü".repeat(70)}/${"名".repeat(30)}.py`, // 141 bytes + 94 bytes: split into prefix and name
      "emoji/🚀 launch.sh",
      "empty",
    ];
    const tar = tarOf([
      { type: "directory", path: "données", mode: 0o755 },
      { type: "directory", path: "ü".repeat(70), mode: 0o755 },
      { type: "directory", path: "emoji", mode: 0o755 },
      ...files.map((path) => ({
        type: "file" as const,
        path,
        mode: 0o644,
        data: Buffer.from(path === "empty" ? "" : `content of ${path}\n`),
      })),
    ]);
    const out = temp();
    const result = spawnSync("tar", ["-xf", "-", "-C", out], { input: tar, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    for (const path of files) {
      expect(readFileSync(join(out, path), "utf8")).toBe(path === "empty" ? "" : `content of ${path}\n`);
    }
  });

  it("splits a path over 100 bytes into ustar's prefix and name", () => {
    const path = `${"p".repeat(80)}/${"n".repeat(80)}`;
    const tar = tarOf([{ type: "file", path, mode: 0o644, data: Buffer.alloc(0) }]);
    expect(tar.subarray(345, 345 + 80).toString()).toBe("p".repeat(80));
    expect(tar.subarray(0, 80).toString()).toBe("n".repeat(80));
  });
});
