import { describe, expect, test } from "vitest";
import { parseSignal } from "../../../../../src/frontends/slurm/values/index.ts";
import { accepted, notesOf, rejected } from "./verdict.ts";

const base = { batchOnly: false, reservation: false };

describe("--signal (spec §8.11)", () => {
  test("the values real scripts use", () => {
    expect(accepted(parseSignal("SIGUSR1@90"))).toEqual({
      ...base,
      signal: "USR1",
      number: 10,
      secondsBefore: 90,
    });
    expect(accepted(parseSignal("USR1@600"))).toEqual({
      ...base,
      signal: "USR1",
      number: 10,
      secondsBefore: 600,
    });
    expect(accepted(parseSignal("2@60"))).toEqual({ ...base, signal: "INT", number: 2, secondsBefore: 60 });
    expect(accepted(parseSignal("USR2"))).toEqual({ ...base, signal: "USR2", number: 12, secondsBefore: 60 });
    expect(accepted(parseSignal("TERM@120"))).toEqual({
      ...base,
      signal: "TERM",
      number: 15,
      secondsBefore: 120,
    });
    expect(accepted(parseSignal("SIGHUP@90")).signal).toBe("HUP");
  });

  test("tricky case 44: B: signals only the batch shell", () => {
    expect(accepted(parseSignal("B:USR1@300"))).toEqual({
      signal: "USR1",
      number: 10,
      secondsBefore: 300,
      batchOnly: true,
      reservation: false,
    });
  });

  test("flags R, B, BR, RB in any case; the colon is optional", () => {
    expect(accepted(parseSignal("R:USR1"))).toMatchObject({ batchOnly: false, reservation: true });
    expect(accepted(parseSignal("BR:USR1"))).toMatchObject({ batchOnly: true, reservation: true });
    expect(accepted(parseSignal("rb:usr1"))).toMatchObject({ batchOnly: true, reservation: true });
    expect(accepted(parseSignal("BUSR1"))).toMatchObject({ signal: "USR1", batchOnly: true });
    expect(notesOf(parseSignal("BUSR1"))).toEqual([
      "`BUSR1`: sbatch reads the leading `B` as flags even without `:`",
    ]);
  });

  test("names in any case with or without SIG; the whole table", () => {
    const table = {
      HUP: 1,
      INT: 2,
      QUIT: 3,
      ABRT: 6,
      KILL: 9,
      ALRM: 14,
      TERM: 15,
      CHLD: 17,
      USR1: 10,
      USR2: 12,
    };
    for (const [name, number] of Object.entries(table)) {
      expect(accepted(parseSignal(name.toLowerCase())).number).toBe(number);
      expect(accepted(parseSignal(`Sig${name}`)).number).toBe(number);
    }
    for (const name of ["PIPE", "URG", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "XCPU"]) {
      expect(accepted(parseSignal(name)).signal).toBe(name);
    }
  });

  test("numbers: named when Linux names them, 1–65535 only", () => {
    expect(accepted(parseSignal("28"))).toMatchObject({ signal: "WINCH", number: 28 });
    expect(accepted(parseSignal("40"))).toMatchObject({ signal: "40", number: 40 });
    expect(notesOf(parseSignal("100"))).toEqual(["Linux has no signal 100"]);
    expect(rejected(parseSignal("0")).message).toBe("`0`: signal numbers run from 1 to 65535");
    rejected(parseSignal("65536"));
    rejected(parseSignal("65537"));
    rejected(parseSignal("-5"));
  });

  test("other names only as numbers", () => {
    expect(rejected(parseSignal("WINCH"))).toEqual({
      ok: false,
      message: "`WINCH`: sbatch knows `WINCH` only by number; write `28`",
      suggestions: ["28"],
    });
    expect(rejected(parseSignal("B:SIGWINCH@30")).suggestions).toEqual(["B:28@30"]);
  });

  test("time: 0–65535 s, default 60, an empty @ is 0", () => {
    expect(accepted(parseSignal("USR1@0")).secondsBefore).toBe(0);
    expect(accepted(parseSignal("USR1@65535")).secondsBefore).toBe(65535);
    expect(accepted(parseSignal("USR1@")).secondsBefore).toBe(0);
    expect(notesOf(parseSignal("USR1@"))).toEqual([
      "`USR1@` has nothing after `@`: sbatch reads it as 0 seconds before the limit",
    ]);
    expect(rejected(parseSignal("USR1@70000")).message).toBe(
      "`USR1@70000`: the time before the limit must be 0 to 65535 seconds",
    );
    expect(rejected(parseSignal("USR1@10m"))).toEqual({
      ok: false,
      message: "`USR1@10m`: the time after `@` is a number of seconds without a unit",
      suggestions: ["USR1@600"],
    });
    expect(rejected(parseSignal("B:USR1@5min")).suggestions).toEqual(["B:USR1@300"]);
    rejected(parseSignal("USR1@-1"));
    rejected(parseSignal("USR1@1@2"));
  });

  test("unknown names, empty, placeholders, unicode", () => {
    expect(rejected(parseSignal("USR3"))).toEqual({
      ok: false,
      message:
        "`USR3` is not a signal sbatch knows: use a number or one of HUP, INT, QUIT, ABRT, KILL, ALRM, TERM, CHLD, USR1, USR2, PIPE, URG, CONT, STOP, TSTP, TTIN, TTOU, XCPU",
      suggestions: ["USR1"],
    });
    expect(rejected(parseSignal("")).message).toBe(
      "the signal is empty: write e.g. `USR1@300` or `B:USR1@300`",
    );
    expect(rejected(parseSignal("B:")).message).toBe(
      "`B:` names no signal after the flags: write e.g. `USR1`",
    );
    expect(rejected(parseSignal("$SIG")).message).toContain("template placeholder");
    expect(rejected(parseSignal("10x")).message).toBe(
      "`10x` is not a signal: a signal number must stand alone (`10`, `10@60`)",
    );
    expect(rejected(parseSignal("USR1@\uff16\uff10")).suggestions).toEqual(["USR1@60"]);
  });
});
