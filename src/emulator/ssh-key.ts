/**
 * SSH key pairs for `POST /v2/ssh-keys` without a `public_key` (fcp-api.md §5.6: the server generates
 * a pair and returns the private key once). The real server makes RSA keys; the emulator makes
 * Ed25519 keys from its seeded generator, so a run is reproducible, in the formats `ssh` reads:
 * an `ssh-ed25519 AAAA… name` public line and an `openssh-key-v1` private key.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";

/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function uint32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out;
}

/** An Ed25519 key pair from a 32-byte seed: OpenSSH public line and private key text. */
export function ed25519KeyPair(seed: Buffer, comment: string): { publicKey: string; privateKey: string } {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: "der",
    type: "pkcs8",
  });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  const pub = Buffer.from(String(jwk.x), "base64url");
  const publicBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
  const check = seed.readUInt32BE(0);
  let section = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString("ssh-ed25519"),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padding: number[] = [];
  for (let i = 1; (section.length + padding.length) % 8 !== 0; i++) padding.push(i);
  section = Buffer.concat([section, Buffer.from(padding)]);
  const blob = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(publicBlob),
    sshString(section),
  ]);
  const base64 = blob.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 70) lines.push(base64.slice(i, i + 70));
  return {
    publicKey: `ssh-ed25519 ${publicBlob.toString("base64")} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`,
  };
}

const KEY_TYPES =
  /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

/** Whether `text` looks like an OpenSSH public key line (`<type> <base64> [comment]`). */
export function isPublicKeyLine(text: string): boolean {
  const [type, data] = text.trim().split(/\s+/);
  if (type === undefined || data === undefined || !KEY_TYPES.test(type)) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return false;
  const blob = Buffer.from(data, "base64");
  if (blob.length < 4) return false;
  const n = blob.readUInt32BE(0);
  return blob.length >= 4 + n && blob.subarray(4, 4 + n).toString("latin1") === type;
}
