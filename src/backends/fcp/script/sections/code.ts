/**
 * The project's code, unpacked into the working directory before the command starts
 * (`upload_code`). It travels one of two ways, chosen by the budget (`assemble.ts`):
 *
 * - **embedded**: the tar + gzip archive, base64 in a quoted here-document, decoded straight into
 *   `tar` (gzip's CRC checks it) — when the script still fits the limit with it;
 * - **upload**: the script creates `/var/lib/flow/upload/` and waits for the archive
 *   `/var/lib/flow/upload/code.tar.gz` there, which the
 *   submitting client copies over SSH after boot (writing `code.tar.gz.part`, then renaming it,
 *   so a half-written file is never seen), checks its sha256 against the one compiled in, and
 *   unpacks it. It waits up to `UPLOAD_WAIT_MINUTES`, then stops with a message.
 *
 * Files are unpacked owned by root with the time of unpacking (`tar -m`); the archive itself is
 * deterministic (`code/archive.ts`).
 */
import { shellQuote } from "../quote.ts";
import { ROOT } from "../root.ts";
import { type ScriptSection, section } from "../section.ts";
import { heredocDelimiter } from "./setup.ts";

/** Where the uploader puts the archive on the instance (the contract with the API client). */
export const UPLOAD_PATH = "/var/lib/flow/upload/code.tar.gz";

/** How long the script waits for an upload. */
export const UPLOAD_WAIT_MINUTES = 30;

/** Seconds between two looks for the upload. */
const UPLOAD_POLL_SECONDS = 5;

/** How the code reaches the instance. */
export type CodeMode = "embedded" | "upload";

/** The archive and how it travels. */
export interface CodePlan {
  readonly mode: CodeMode;
  readonly archive: Buffer;
  readonly sha256: string;
}

/** The code section: unpack `plan`'s archive into `dir`. */
export function codeSection(plan: CodePlan, dir: string): ScriptSection {
  const into = `tar -xzmf - -C ${shellQuote(dir)}`;
  if (plan.mode === "embedded") {
    const base64 = plan.archive.toString("base64");
    const delimiter = heredocDelimiter(base64);
    return section("code", [`base64 -d <<'${delimiter}' | ${into}`, base64, delimiter]);
  }
  const tries = (UPLOAD_WAIT_MINUTES * 60) / UPLOAD_POLL_SECONDS;
  return section("code", [
    `FLOW_CODE=${ROOT}${UPLOAD_PATH}`,
    `mkdir -p "\${FLOW_CODE%/*}"`,
    `echo "flow: waiting up to ${UPLOAD_WAIT_MINUTES} min for the code upload at ${UPLOAD_PATH}"`,
    "FLOW_I=0",
    'until [ -f "$FLOW_CODE" ]; do',
    `  [ $((FLOW_I += 1)) -le ${tries} ] || { echo "flow: no code arrived at ${UPLOAD_PATH} in ${UPLOAD_WAIT_MINUTES} min" >&2; exit 1; }`,
    `  sleep ${UPLOAD_POLL_SECONDS}`,
    "done",
    `echo "${plan.sha256}  $FLOW_CODE" | sha256sum -c --quiet - || { echo "flow: the uploaded code is not the compiled one (sha256 ${plan.sha256})" >&2; exit 1; }`,
    `${into} <"$FLOW_CODE"`,
  ]);
}
