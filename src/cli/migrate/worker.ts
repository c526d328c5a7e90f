/** The migrate worker thread: runs one batch (see batch.ts) and posts the summaries back. */
import { parentPort, workerData } from "node:worker_threads";
import { migrateBatch } from "./batch.ts";
import type { MigrateJob } from "./pool.ts";

parentPort?.postMessage(migrateBatch(workerData as MigrateJob));
