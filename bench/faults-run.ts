/**
 * The fault-injection run shared by `bench/faults.mjs` (1,000 submissions) and the suite's smaller
 * test: N bid submissions through flow's client against a started emulator that fails a share of
 * all requests — 5xx before and after committing, 429 with Retry-After, latency past the client's
 * timeout, connections dropped before and after the server committed — then counts, through a
 * fault-free listing, duplicate bids (two bids for one submission) and lost submissions (the
 * client gave up, or no bid carries the submission's name, or the returned FID is not that bid).
 */
import { FcpClient } from "../src/api/client.ts";
import type { CreateBidBody } from "../src/api/models.ts";
import { undiciTransport } from "../src/api/transport.ts";
import { builtinCatalog } from "../src/backends/fcp/catalog/index.ts";
import type { FaultRule } from "../src/emulator/index.ts";
import { startEmulator } from "../src/emulator/index.ts";

export interface FaultRunOptions {
  readonly submissions: number;
  /** Share of all API requests that get a fault (0.3 = 30 %). */
  readonly faultRate: number;
  readonly concurrency: number;
  /** Client request timeout; injected latency is 1.5× this. */
  readonly timeoutMs: number;
  /** Whether the emulator refuses a second live bid of one name (the v1 server did). */
  readonly uniqueNames: boolean;
  readonly seed: number;
}

export interface FaultRunReport {
  readonly submissions: number;
  readonly placed: number;
  readonly adopted: number;
  readonly requests: number;
  readonly faultsInjected: number;
  readonly retries: number;
  readonly ambiguous: number;
  readonly duplicateBids: number;
  readonly duplicatesCancelledByClient: number;
  readonly lost: number;
  readonly gaveUp: readonly string[];
  readonly seconds: number;
  readonly p50ms: number;
  readonly p95ms: number;
}

/** Rules in order, each with the probability that gives every fault kind an equal share of requests. */
export function faultRules(rate: number, timeoutMs: number): FaultRule[] {
  const kinds: Omit<FaultRule, "probability">[] = [
    { status: 500, when: "after" },
    { status: 503, when: "before" },
    { status: 502, when: "before" },
    { status: 429, retry_after: 0, when: "before" },
    { latency_ms: Math.round(timeoutMs * 1.5) },
    { drop: true, when: "after" },
    { drop: true, when: "before" },
  ];
  const share = rate / kinds.length;
  return kinds.map((k, i) => ({ ...k, path: "/v2/*", probability: share / (1 - i * share) }));
}

function body(project: string, fid: string, region: string, name: string): CreateBidBody {
  return {
    project,
    region,
    instance_type: fid,
    limit_price: "$1.00",
    instance_quantity: 1,
    name,
    launch_specification: {
      volumes: [],
      ssh_keys: [],
      startup_script: "#!/bin/bash\necho flow fault-injection run\n",
    },
  };
}

export async function runFaults(options: FaultRunOptions): Promise<FaultRunReport> {
  const emulator = await startEmulator({
    seed: options.seed,
    behaviour: { unique_bid_names: options.uniqueNames },
  });
  const transport = undiciTransport();
  const counts = { retries: 0, ambiguous: 0, adopted: 0, duplicatesCancelled: 0 };
  const client = new FcpClient({
    baseUrl: emulator.url,
    apiKey: emulator.apiKey,
    transport,
    timeoutMs: options.timeoutMs,
    retry: { retries: 8, baseDelayMs: 10, maxDelayMs: 200, maxRetryAfterMs: 5_000 },
    settleMs: 20,
    onEvent: (e) => {
      if (e.type === "retry") counts.retries++;
      else if (e.type === "ambiguous") counts.ambiguous++;
      else if (e.type === "adopted") counts.adopted++;
      else if (e.type === "duplicate-cancelled") counts.duplicatesCancelled++;
    },
  });
  const type = builtinCatalog().instanceTypes.find((t) => t.regions.includes("eu-central1-a"))!;
  const project = emulator.projectId;
  const results = new Map<string, { fid?: string; error?: string; ms: number }>();
  const names = Array.from({ length: options.submissions }, (_, i) => `faults-${options.seed}-${i}`);
  emulator.controls.addFaults(faultRules(options.faultRate, options.timeoutMs));
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      const t0 = performance.now();
      try {
        const created = await client.createBid(body(project, type.fid, "eu-central1-a", name));
        results.set(name, { fid: created.value.fid, ms: performance.now() - t0 });
      } catch (error) {
        results.set(name, { error: (error as Error).message, ms: performance.now() - t0 });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  const stats = emulator.controls.stats();
  emulator.controls.clearFaults();
  // a late request (injected latency) may still be in flight: let it land before counting
  await new Promise((resolve) => setTimeout(resolve, options.timeoutMs * 2));
  const all = await client.listBids({ project });
  await transport.close();
  await emulator.close();

  const byName = new Map<string, typeof all>();
  for (const bid of all) byName.set(bid.name, [...(byName.get(bid.name) ?? []), bid]);
  let duplicateBids = 0;
  let lost = 0;
  const gaveUp: string[] = [];
  for (const name of names) {
    const bids = byName.get(name) ?? [];
    duplicateBids += Math.max(0, bids.length - 1);
    const result = results.get(name)!;
    if (result.error !== undefined) {
      gaveUp.push(`${name}: ${result.error}`);
      lost++;
    } else if (!bids.some((b) => b.fid === result.fid && b.status !== "Terminated")) lost++;
  }
  const ms = [...results.values()].map((r) => r.ms).sort((a, b) => a - b);
  return {
    submissions: names.length,
    placed: names.length - gaveUp.length,
    adopted: counts.adopted,
    requests: stats.requests,
    faultsInjected: stats.faults_injected,
    retries: counts.retries,
    ambiguous: counts.ambiguous,
    duplicateBids,
    duplicatesCancelledByClient: counts.duplicatesCancelled,
    lost,
    gaveUp,
    seconds,
    p50ms: ms[Math.floor(ms.length * 0.5)] ?? 0,
    p95ms: ms[Math.floor(ms.length * 0.95)] ?? 0,
  };
}
