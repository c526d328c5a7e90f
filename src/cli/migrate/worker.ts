/**
 * The migrate worker thread: receives a batch of `{ file, path }` and the lowering options, reads
 * and migrates each file, and posts the results back in order.
 */
import { readFile } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { migrateOne } from "./one.ts";
import type { MigrateJob } from "./pool.ts";

const job = workerData as MigrateJob;
const results = [];
for (const { file, path } of job.files)
  results.push(migrateOne(file, await readFile(path, "utf8"), job.options));
parentPort?.postMessage(results);
