/**
 * The test hook for the script's absolute system paths. Every path the script creates or edits
 * outside the log directory and the working directory — block devices, /etc/fstab, file-share
 * mount points, volume mount points, the code-upload drop, apt's sources — is written as
 * `"${FLOW_ROOT-}"/path`. On an instance nothing sets FLOW_ROOT (cloud-init runs the script with
 * a clean environment), so the prefix is empty and the paths are exactly the real ones; the
 * execution tests point it at a temporary directory. It only re-roots where files go: the text
 * written into /etc/fstab and the paths given to containers are always the real ones.
 */
import { shellQuote } from "./quote.ts";

/** The variable that re-roots the script's system paths (tests only; documented in the README). */
export const ROOT_VARIABLE = "FLOW_ROOT";

/** The root prefix as shell text, safe under `set -u`. */
export const ROOT = `"\${${ROOT_VARIABLE}-}"`;

/** `path` (absolute) under the root prefix, as one shell word. */
export function rooted(path: string): string {
  return `${ROOT}${shellQuote(path)}`;
}
