// Fault injection (figures, never pass/fail): 1,000 bid submissions through flow's API client
// against the local emulator failing 30 % of all requests (500 after commit, 502/503, 429 with
// Retry-After, latency past the client timeout, connections dropped before and after the server
// committed the bid). Reports duplicate bids and lost submissions, which must both be zero.
// Run: npm run bench:faults [-- --submissions=1000 --rate=0.3 --concurrency=20 --timeout-ms=400]
// Both emulator behaviours are measured: with the v1 server's unique-name check, and without it
// (then only the client's lookup-before-repost keeps duplicates out).
import { runFaults } from "./faults-run.ts";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const submissions = Number(args.get("submissions") ?? 1000);
const faultRate = Number(args.get("rate") ?? 0.3);
const concurrency = Number(args.get("concurrency") ?? 20);
const timeoutMs = Number(args.get("timeout-ms") ?? 400);

for (const uniqueNames of [true, false]) {
  const r = await runFaults({ submissions, faultRate, concurrency, timeoutMs, uniqueNames, seed: 42 });
  console.log(
    `\n${submissions} submissions, ${Math.round(faultRate * 100)} % of requests faulted, server name check ${uniqueNames ? "on" : "off"}:`,
  );
  console.log(
    `  requests            ${r.requests} (${r.faultsInjected} faults injected = ${((100 * r.faultsInjected) / r.requests).toFixed(1)} %)`,
  );
  console.log(
    `  client retries      ${r.retries}; ambiguous creates ${r.ambiguous}; adopted after lookup ${r.adopted}`,
  );
  console.log(`  placed              ${r.placed} of ${r.submissions}`);
  console.log(
    `  duplicate bids      ${r.duplicateBids}${r.duplicatesCancelledByClient ? ` (the client cancelled ${r.duplicatesCancelledByClient})` : ""}`,
  );
  console.log(`  lost submissions    ${r.lost}`);
  console.log(
    `  time                ${r.seconds.toFixed(1)} s; per submission p50 ${r.p50ms.toFixed(0)} ms, p95 ${r.p95ms.toFixed(0)} ms`,
  );
  for (const line of r.gaveUp.slice(0, 5)) console.log(`  gave up: ${line}`);
}
