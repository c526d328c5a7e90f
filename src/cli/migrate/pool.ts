/**
 * Runs migrations on several cores: the file list is split into one contiguous batch per worker
 * thread, and each worker reads, migrates and writes its own files (only the small per-file
 * summaries cross threads). Results come back in input order, so reports are deterministic. With
 * one job, or when the worker file is absent (running from TypeScript sources), it runs in-process.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SlurmLowerOptions } from "../../frontends/slurm/lower.ts";
import type { MigratedFile } from "./one.ts";

export interface MigrateJob {
  /** Each script: its path relative to the tree, its absolute path, and its YAML path under `outDir`. */
  readonly files: readonly { file: string; path: string; target: string }[];
  readonly options: SlurmLowerOptions;
  /** Where `<file>.yaml` is written for every script that compiles. */
  readonly outDir: string;
}

/** The bundled worker next to the bundled CLI (`dist/migrate-worker.js`), if this is the bundle. */
function workerUrl(): URL | undefined {
  const url = new URL("./migrate-worker.js", import.meta.url);
  return import.meta.url.endsWith(".js") && existsSync(fileURLToPath(url)) ? url : undefined;
}

function runWorker(url: URL, job: MigrateJob): Promise<MigratedFile[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: job });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`migrate worker exited with ${code}`));
    });
  });
}

/** Migrates every file with up to `jobs` worker threads; returns the summaries in input order. */
export async function migrateAll(job: MigrateJob, jobs: number): Promise<MigratedFile[]> {
  const url = workerUrl();
  const workers = Math.max(1, Math.min(jobs, job.files.length));
  if (workers === 1 || !url) {
    const { migrateBatch } = await import("./batch.ts");
    return migrateBatch(job);
  }
  const size = Math.ceil(job.files.length / workers);
  const batches = Array.from({ length: workers }, (_, i) => job.files.slice(i * size, (i + 1) * size));
  const results = await Promise.all(batches.map((files) => runWorker(url, { ...job, files })));
  return results.flat();
}
