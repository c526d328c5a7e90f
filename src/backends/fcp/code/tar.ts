/**
 * A minimal, deterministic ustar writer: each member's header blocks (`tarHeader`), the padding
 * after a file's data (`tarPadding`) and the stream's end (`tarEnd`), with the members' modes and
 * nothing else of the machine they were read on — uid/gid 0, no user or group names, one
 * fixed mtime. Names longer than ustar's fields go into a PAX extended header (`path`,
 * `linkpath`), which GNU tar, bsdtar and Python's tarfile all read.
 */

/** The mtime every member gets: 2000-01-01T00:00:00Z (tar extracts with `-m`, so it never shows). */
export const TAR_MTIME = 946_684_800;

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

/** Writes `text` (UTF-8) into `header` at `offset`; false when it does not fit in `width` bytes. */
function put(header: Buffer, offset: number, width: number, text: string): boolean {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length > width) return false;
  bytes.copy(header, offset);
  return true;
}

/** Splits a path into ustar's prefix (≤ 155 bytes) and name (≤ 100 bytes), if it can be. */
function splitPath(path: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { prefix: "", name: path };
  for (let i = path.indexOf("/"); i > 0; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== "") {
      return { prefix, name };
    }
  }
  return undefined;
}

function header(
  name: string,
  prefix: string,
  mode: number,
  size: number,
  typeflag: string,
  linkname: string,
): Buffer {
  const h = Buffer.alloc(BLOCK);
  put(h, 0, 100, name);
  put(h, 100, 8, octal(mode, 8));
  put(h, 108, 8, octal(0, 8));
  put(h, 116, 8, octal(0, 8));
  put(h, 124, 12, octal(size, 12));
  put(h, 136, 12, octal(TAR_MTIME, 12));
  h.fill(0x20, 148, 156);
  put(h, 156, 1, typeflag);
  put(h, 157, 100, linkname);
  put(h, 257, 6, "ustar\0");
  put(h, 263, 2, "00");
  put(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

/** A PAX record `"<len> key=value\n"`, whose length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) {
    length = String(length).length + Buffer.byteLength(body);
  }
  return `${length}${body}`;
}

/**
 * What a member's header says: a file by its size, its data following the header (see
 * `tarHeader`), so a packer can stream a file's data without holding it.
 */
export type TarHeader =
  | { readonly type: "file"; readonly path: string; readonly mode: number; readonly size: number }
  | { readonly type: "directory"; readonly path: string; readonly mode: number }
  | { readonly type: "symlink"; readonly path: string; readonly target: string };

/**
 * The header blocks of one member: an optional PAX header, then the ustar header. A file's
 * `size` bytes of data follow it, then `tarPadding(size)`.
 */
export function tarHeader(entry: TarHeader): Buffer {
  const path = entry.type === "directory" ? `${entry.path}/` : entry.path;
  const linkname = entry.type === "symlink" ? entry.target : "";
  const split = splitPath(path);
  const pax: string[] = [];
  if (split === undefined) pax.push(paxRecord("path", path));
  if (Buffer.byteLength(linkname) > 100) pax.push(paxRecord("linkpath", linkname));
  const out: Buffer[] = [];
  if (pax.length > 0) {
    const data = Buffer.from(pax.join(""), "utf8");
    out.push(header("PaxHeader", "", 0o644, data.length, "x", ""), data, tarPadding(data.length));
  }
  const name = split ?? { prefix: "", name: "flow-long-name" };
  const link = Buffer.byteLength(linkname) > 100 ? "" : linkname;
  switch (entry.type) {
    case "file":
      out.push(header(name.name, name.prefix, entry.mode, entry.size, "0", ""));
      break;
    case "directory":
      out.push(header(name.name, name.prefix, entry.mode, 0, "5", ""));
      break;
    case "symlink":
      out.push(header(name.name, name.prefix, 0o777, 0, "2", link));
      break;
  }
  return Buffer.concat(out);
}

/** The zeros that fill a member's `size` bytes of data up to a whole block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The end of a tar stream: two zero blocks. */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}
