import { describe, expect, test } from "vitest";
import {
  parseNoKill,
  parsePriority,
  parseRequeue,
  parseUint16,
  parseYesNo,
  parseZeroOne,
} from "../../../../../src/frontends/slurm/values/index.ts";

describe("small closed grammars (spec §7.2, §8.14)", () => {
  test("--kill-on-invalid-dep: yes or no, any case", () => {
    expect(parseYesNo("YES")).toEqual({ ok: true, value: "yes" });
    expect(parseYesNo("no")).toEqual({ ok: true, value: "no" });
    expect(parseYesNo("true").ok).toBe(false);
  });

  test("--wait-all-nodes, --oom-kill-step: 0 or 1", () => {
    expect(parseZeroOne("0")).toMatchObject({ ok: true, value: 0 });
    expect(parseZeroOne("1")).toMatchObject({ ok: true, value: 1 });
    expect(parseZeroOne("2").ok).toBe(false);
    expect(parseZeroOne("yes").ok).toBe(false);
  });

  test("--no-kill=set|off|no and --requeue=expedite", () => {
    expect(parseNoKill("off")).toEqual({ ok: true, value: "off" });
    expect(parseNoKill("Set")).toEqual({ ok: true, value: "set" });
    expect(parseNoKill("maybe").ok).toBe(false);
    expect(parseRequeue("EXPEDITE")).toEqual({ ok: true, value: "expedite" });
    expect(parseRequeue("now").ok).toBe(false);
  });

  test("--priority: 0…4294967293 or TOP", () => {
    expect(parsePriority("top")).toEqual({ ok: true, value: "TOP" });
    expect(parsePriority("4294967293")).toEqual({ ok: true, value: 4294967293 });
    expect(parsePriority("4294967294").ok).toBe(false);
    expect(parsePriority("high").ok).toBe(false);
    expect(parsePriority("-1").ok).toBe(false);
  });

  test("--segment: 0…65533", () => {
    expect(parseUint16("65533")).toMatchObject({ ok: true, value: 65533 });
    expect(parseUint16("65534").ok).toBe(false);
    expect(parseUint16("-1").ok).toBe(false);
  });
});
