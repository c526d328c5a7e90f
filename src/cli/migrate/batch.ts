/**
 * One batch of a migration, as a worker (or the main thread) runs it: read each script, migrate
 * it, write its Flow YAML next to where it sits in the tree, and keep only the summary. Synchronous
 * file I/O on purpose: a worker has nothing else to do, and one `mkdir` per directory suffices.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type MigratedFile, migrateOne } from "./one.ts";
import type { MigrateJob } from "./pool.ts";

/** The YAML file of a script: same relative path, extension replaced by `.yaml`. */
export function yamlPathOf(outDir: string, file: string): string {
  return join(outDir, `${file.replace(/\.[^./]*$/, "")}.yaml`);
}

/** Migrates and writes one batch; returns the summaries (without the YAML text). */
export function migrateBatch(job: MigrateJob): MigratedFile[] {
  const made = new Set<string>();
  const out: MigratedFile[] = [];
  for (const { file, path } of job.files) {
    const { yaml, ...summary } = migrateOne(file, readFileSync(path, "utf8"), job.options);
    if (yaml !== undefined) {
      const target = yamlPathOf(job.outDir, file);
      const dir = dirname(target);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(target, yaml);
    }
    out.push(summary);
  }
  return out;
}
