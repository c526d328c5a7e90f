import { describe, expect, test } from "vitest";
import { parseSshDestination } from "../../src/api/models.ts";

describe("parseSshDestination", () => {
  test("a bare host is port 22; host:port splits; IPv6 only in brackets", () => {
    expect(parseSshDestination("203.0.113.5")).toEqual({ host: "203.0.113.5", port: 22 });
    expect(parseSshDestination("203.0.113.5:2222")).toEqual({ host: "203.0.113.5", port: 2222 });
    expect(parseSshDestination("node.example:22")).toEqual({ host: "node.example", port: 22 });
    expect(parseSshDestination("[2001:db8::1]:2200")).toEqual({ host: "2001:db8::1", port: 2200 });
    expect(parseSshDestination("2001:db8::1")).toEqual({ host: "2001:db8::1", port: 22 });
  });
});
