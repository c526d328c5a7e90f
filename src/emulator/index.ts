/**
 * The local FCP emulator: a real HTTP server on loopback implementing the v2 API contract of
 * fcp-api.md (§5 endpoints, §6 lifecycles, §12 behaviour) with state in memory, a virtual clock, a
 * seeded generator, and test-only controls. `flow emulator` runs it; tests start and stop it with
 * `startEmulator`.
 */
import { Emulator, type EmulatorOptions, type InstanceChange, type PoolChange } from "./server.ts";

export type { FaultRule } from "./faults.ts";
export type { BehaviourOptions, DurationOptions, Fixtures, LoadFixturesResult } from "./fixtures.ts";
export { fixturesFromData, loadFixturesFile, PROFILES } from "./fixtures.ts";
export type { EmulatorOptions, EmulatorStats, InstanceChange, PoolChange } from "./server.ts";

/** A started emulator. `close()` stops it; the other members drive it like the `/_emulator` endpoints. */
export interface EmulatorHandle {
  /** Base URL (`http://127.0.0.1:<port>`); API paths start with `/v2/`. */
  readonly url: string;
  readonly port: number;
  /** The accepted bearer key (`fkey_…`). */
  readonly apiKey: string;
  /** FID of the (first) project. */
  readonly projectId: string;
  /** The virtual clock: ISO time now, and moving it forward by seconds (runs what becomes due). */
  readonly clock: { now(): string; advance(seconds: number): string };
  /** The test-only controls (same operations as the HTTP control endpoints). */
  readonly controls: {
    reset(): void;
    pools(): ReturnType<Emulator["pools"]>;
    setPool(instanceType: string, region: string, change: PoolChange): ReturnType<Emulator["setPool"]>;
    addFaults(rules: Parameters<Emulator["addFaults"]>[0]): ReturnType<Emulator["addFaults"]>;
    clearFaults(): void;
    instance(fid: string): ReturnType<Emulator["instance"]>;
    setInstance(fid: string, change: InstanceChange): ReturnType<Emulator["instance"]>;
    failInstance(fid: string): ReturnType<Emulator["instance"]>;
    /** The instance powers itself off (auto_terminate): STATUS_TERMINATED, its bid stays Allocated. */
    powerOffInstance(fid: string): ReturnType<Emulator["instance"]>;
    relocateInstance(fid: string): ReturnType<Emulator["instance"]>;
    stats(): Emulator["stats"];
  };
  close(): Promise<void>;
}

/** Starts an emulator on loopback (port 0 = any free port) and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const emulator = new Emulator(options);
  const port = await emulator.listen();
  const host = options.host ?? "127.0.0.1";
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    get apiKey() {
      return emulator.state.defaultKey;
    },
    get projectId() {
      return emulator.state.projects[0]!.fid;
    },
    clock: { now: () => emulator.now(), advance: (seconds) => emulator.advance(seconds) },
    controls: {
      reset: () => emulator.reset(),
      pools: () => emulator.pools(),
      setPool: (t, r, c) => emulator.setPool(t, r, c),
      addFaults: (rules) => emulator.addFaults(rules),
      clearFaults: () => emulator.clearFaults(),
      instance: (fid) => emulator.instance(fid),
      setInstance: (fid, c) => emulator.setInstance(fid, c),
      failInstance: (fid) => emulator.failInstance(fid),
      powerOffInstance: (fid) => emulator.powerOffInstance(fid),
      relocateInstance: (fid) => emulator.relocateInstance(fid),
      stats: () => emulator.stats,
    },
    close: () => emulator.close(),
  };
}
