/**
 * `flow compile <file>`: the whole pipeline from the command line. Diagnostics go to stderr
 * (rendered, or inside the JSON with `--json`), artefacts to `--emit`/`--emit-bid` files or stdout.
 */

import { join, resolve } from "node:path";
import { alignedTable } from "../../backends/fcp/catalog/format.ts";
import type { Catalog } from "../../backends/fcp/catalog/index.ts";
import { anyConfigFile } from "../../config/dirs.ts";
import { countText } from "../../diagnostics/count.ts";
import { diagnosticToJson, redactText, renderDiagnostics } from "../../diagnostics/render.ts";
import { INPUT_FORMATS, type InputFormat } from "../../frontends/detect.ts";
import type { CompileOptions, CompileResult } from "../../pipeline.ts";
import { loadCatalogOption } from "../catalog-option.ts";
import { type CodeRoot, compileWithCode } from "../compile-lazy.ts";
import { makeDirectory, readInput, writeOutput } from "../files.ts";
import { type CliIo, EXIT, UsageError, useColor } from "../io.ts";
import { type SlurmFlags, slurmOptions } from "../slurm-options.ts";

export interface CompileFlags extends SlurmFlags {
  format?: string;
  emit?: string;
  emitBid?: string;
  json?: boolean;
  strict?: boolean;
  scriptLimit?: string;
  catalog?: string;
  project?: string;
  budget?: boolean;
  codeDir?: string;
}

/** `--script-limit <n>`: a positive whole number (at most nine digits). */
export function parseScriptLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(text))
    throw new UsageError(`--script-limit must be a positive whole number, not \`${text}\``);
  return Number(text);
}

function parseFormat(text: string | undefined): InputFormat | undefined {
  if (text === undefined) return undefined;
  if ((INPUT_FORMATS as readonly string[]).includes(text)) return text as InputFormat;
  throw new UsageError(`--format must be one of ${INPUT_FORMATS.join(", ")}, not \`${text}\``);
}

/** The `--json` document: the whole result, stable key order. */
export function resultToJson(result: CompileResult): unknown {
  return {
    ok: result.ok,
    file: result.source.name,
    format: result.format ?? null,
    ir: result.ir ?? null,
    bids: result.bids,
    startup_scripts: result.startupScripts.map((s) => ({
      bytes: s.bytes,
      chars: s.chars,
      limit: s.limit,
      headroom: s.limit - Math.max(s.bytes, s.chars),
      form: s.form,
      raw_bytes: s.raw.bytes,
      raw_chars: s.raw.chars,
      sections: s.sections,
      code: s.code
        ? { mode: s.code.mode, sha256: s.code.sha256, bytes: s.code.bytes, upload_path: s.code.uploadPath }
        : null,
      text: s.text,
    })),
    diagnostics: result.diagnostics.map((d) => diagnosticToJson(result.source, d)),
    ...(result.format === "slurm" ? { directive_fates: result.fates } : {}),
  };
}

function summary(result: CompileResult, catalog: Catalog): string {
  const lines: string[] = [];
  result.bids.forEach((bid, i) => {
    const type = catalog.instanceTypes.find((t) => t.fid === bid.instance_type);
    lines.push(
      `bid \`${bid.name}\`: ${bid.instance_quantity} × ${type?.name ?? bid.instance_type} (${bid.instance_type}) in ${bid.region}, limit ${bid.limit_price}/instance-hour`,
    );
    const script = result.startupScripts[i];
    if (script) {
      const used = Math.max(script.bytes, script.chars);
      lines.push(
        `startup script: ${countText(used)} of ${countText(script.limit)} bytes (headroom ${countText(script.limit - used)})`,
      );
    }
  });
  lines.push("emit them with --emit <file|-> and --emit-bid <file|->, or everything with --json");
  return `${lines.join("\n")}\n`;
}

/**
 * `--budget`: for each startup script, the bytes of each section of the raw script, the raw total,
 * the form shipped (raw, or the gzip+base64 bootstrap), the limit and the headroom left.
 */
function budgetTable(result: CompileResult): string {
  const out: string[] = [];
  result.startupScripts.forEach((script, i) => {
    const name = result.bids[i]?.name ?? String(i);
    const rows: [string, string][] = script.sections.map((s) => [
      `  ${s.name}`,
      s.bytes === s.chars ? countText(s.bytes) : `${countText(s.bytes)} (${countText(s.chars)} chars)`,
    ]);
    const used = Math.max(script.bytes, script.chars);
    rows.push(["  raw script", countText(script.raw.bytes)]);
    rows.push([
      script.form === "raw" ? "shipped raw" : "shipped compressed (gzip+base64 bootstrap)",
      countText(script.bytes),
    ]);
    if (script.code) {
      rows.push([
        script.code.mode === "embedded"
          ? "code (embedded, in section code)"
          : `code (uploaded after boot to ${script.code.uploadPath})`,
        countText(script.code.bytes),
      ]);
    }
    rows.push(["limit", countText(script.limit)], ["headroom", countText(script.limit - used)]);
    // the rows are aligned as every CLI table (numbers right-aligned); the title is not a column
    const [first, ...rest] = rows as [[string, string], ...[string, string][]];
    out.push(
      `startup script of bid \`${name}\` (bytes):`,
      alignedTable(first, rest, [false, true]).trimEnd(),
    );
  });
  return `${out.join("\n")}\n`;
}

/**
 * Writes the startup script(s): one script to the file (or stdout); several (a job array) into the
 * directory `--emit` names, one `<bid name>.sh` each — never concatenated, never only the first.
 */
async function emitScripts(io: CliIo, target: string, result: CompileResult): Promise<void> {
  const scripts = result.startupScripts;
  if (scripts.length === 1) {
    await writeOutput(io, target, scripts[0]!.text);
    return;
  }
  if (target === "-") {
    throw new UsageError(
      `${scripts.length} startup scripts (a job array): --emit needs a directory, not \`-\``,
    );
  }
  await makeDirectory(io, target);
  for (const [i, script] of scripts.entries()) {
    await writeOutput(io, join(target, `${result.bids[i]?.name ?? i}.sh`), script.text);
  }
}

/** Runs `flow compile`; returns the exit code. */
export async function compileCommand(io: CliIo, file: string, flags: CompileFlags): Promise<number> {
  if (flags.emit === "-" && flags.emitBid === "-")
    throw new UsageError("--emit and --emit-bid cannot both write to stdout");
  if (flags.json && (flags.emit === "-" || flags.emitBid === "-"))
    throw new UsageError("--json already writes to stdout");
  const format = parseFormat(flags.format);
  const scriptLimit = parseScriptLimit(flags.scriptLimit);
  const catalog = await loadCatalogOption(io, flags.catalog);
  const text = await readInput(io, file);
  const project = flags.project ?? (io.env.FLOW_PROJECT || undefined);
  const options: CompileOptions = {
    filename: file === "-" ? "<stdin>" : file,
    catalog,
    ...(format ? { format } : {}),
    ...(flags.strict ? { strict: true } : {}),
    ...(scriptLimit !== undefined ? { scriptLimit } : {}),
    ...(project !== undefined ? { project } : {}),
    slurm: await slurmOptions(io, flags),
  };
  const root = await codeRoot(io, flags.codeDir);
  const result = await compileWithCode(text, options, root);
  if (flags.json) {
    io.stdout(redactText(`${JSON.stringify(resultToJson(result), null, 2)}\n`, root.secrets));
  } else {
    io.stderr(
      renderDiagnostics(result.source, result.diagnostics, { color: useColor(io), redact: root.secrets }),
    );
  }
  if (!result.ok) return EXIT.diagnostics;
  if (flags.budget && !flags.json) {
    const table = budgetTable(result);
    if (flags.emit === "-" || flags.emitBid === "-") io.stderr(table);
    else io.stdout(table);
  }
  if (flags.emit !== undefined) await emitScripts(io, flags.emit, result);
  if (flags.emitBid !== undefined) {
    const body = result.bids.length === 1 ? result.bids[0] : result.bids;
    await writeOutput(io, flags.emitBid, `${JSON.stringify(body, null, 2)}\n`);
  }
  if (!flags.json && !flags.budget && flags.emit === undefined && flags.emitBid === undefined)
    io.stdout(summary(result, catalog));
  return EXIT.ok;
}

/**
 * The project `upload_code` packs (`--code-dir`, else the working directory) and the secrets no
 * artefact may hold. `secrets`: the keys of a configuration the caller already loaded (see
 * `configSecrets`); without them, every key the configuration files hold (`configuredKeys`:
 * FLOW_API_KEY, each credentials.yaml, an `api_key` written into a config.yaml), whether or not the
 * rest of the configuration is valid — the commands that need it report its problems.
 */
export async function codeRoot(
  io: CliIo,
  codeDir: string | undefined,
  secrets?: readonly string[],
): Promise<CodeRoot> {
  const dir = resolve(io.cwd, codeDir ?? ".");
  if (secrets !== undefined) return { dir, secrets };
  // without a configuration file the key can only be FLOW_API_KEY: the reader is not loaded
  if (!anyConfigFile(io.env, io.cwd))
    return { dir, secrets: io.env.FLOW_API_KEY ? [io.env.FLOW_API_KEY] : [] };
  const { configuredKeys } = await import("../../config/config.ts");
  return { dir, secrets: await configuredKeys(io.env, io.cwd) };
}
