/**
 * One batch of a migration, as a worker (or the main thread) runs it: read each script, migrate
 * it, write its Flow YAML to the target the command chose, and keep only the summary. A file that
 * cannot be read is an error of that file (FLOW004), never a crash of the run. Synchronous file
 * I/O on purpose: a worker has nothing else to do, and one `mkdir` per directory suffices.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CODES } from "../../diagnostics/codes.ts";
import { type MigratedFile, migrateOne } from "./one.ts";
import type { MigrateJob } from "./pool.ts";

function unreadable(file: string, error: unknown): MigratedFile {
  const why = (error as NodeJS.ErrnoException).code ?? "unreadable";
  return {
    file,
    status: "errors",
    bids: 0,
    fates: {},
    diagnostics: [
      {
        code: "FLOW004",
        severity: CODES.FLOW004.severity,
        line: 0,
        column: 0,
        message: `cannot read the file: ${why}`,
      },
    ],
  };
}

/** Migrates and writes one batch; returns the summaries (without the YAML text). */
export function migrateBatch(job: MigrateJob): MigratedFile[] {
  const made = new Set<string>();
  const out: MigratedFile[] = [];
  for (const { file, path, target } of job.files) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      out.push(unreadable(file, error));
      continue;
    }
    const { yaml, ...summary } = migrateOne(file, text, job.options);
    if (yaml !== undefined) {
      const absolute = join(job.outDir, target);
      const dir = dirname(absolute);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(absolute, yaml);
    }
    out.push(summary);
  }
  return out;
}
