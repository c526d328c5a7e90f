import { describe, expect, test } from "vitest";
import { lowerYaml } from "../../../../src/frontends/yaml/lower.ts";
import { readYaml } from "../../../../src/frontends/yaml/read.ts";
import { createSourceFile } from "../../../../src/source/source-file.ts";
import { codesAt, spanText } from "../../../helpers/diagnostics.ts";

function lower(text: string) {
  const file = createSourceFile("job.yaml", text);
  const result = lowerYaml(file);
  return { file, result, codes: codesAt(file, result.diagnostics) };
}

const BASE = "name: t\ninstance_type: a100\nupload_code: false\n";

describe("Flow YAML: reading", () => {
  test("every TaskConfig field of the Python SDK is accepted", () => {
    const { result, codes } = lower(`
name: all-fields
instance_type: 4xa100
command: [python, train.py]
image: nvidia/cuda:12.1.0-runtime-ubuntu22.04
env: {A: "1"}
working_dir: /workspace
volumes:
  - {name: data, size_gb: 100, mount_path: /data, interface: block, iops: 3000}
  - {volume_id: vol_abc, mount_path: /old}
data_mounts:
  - {source: "s3://bucket/x", target: /mnt/x, mount_type: s3fs, options: {readonly: true}, cache_key: k, size_estimate_gb: 1.5}
max_price_per_hour: 10.0
max_run_time_hours: 24
min_run_time_hours: 1
deadline_hours: 48
region: us-central1-a
num_instances: 2
ssh_keys: [sshkey_abc]
upload_code: true
priority: 50
auto_terminate: true
`);
    expect(codes.filter((c) => !c.startsWith("IR014"))).toEqual([]);
    expect(result.value?.name).toBe("all-fields");
    expect(result.value?.volumes).toHaveLength(2);
    expect(result.value?.priority).toBe(50);
  });

  test("env values keep their source text", () => {
    const { result } = lower(
      `${BASE}env:\n  V: 1.10\n  N: 007\n  B: true\n  F: 1e3\n  Q: "1.10"\n  S: plain text\n`,
    );
    expect(result.value?.env).toEqual({
      V: "1.10",
      N: "007",
      B: "true",
      F: "1e3",
      Q: "1.10",
      S: "plain text",
    });
  });

  test("an empty env value is an error, not a silent empty string", () => {
    const { codes } = lower(`${BASE}env:\n  EMPTY:\n`);
    expect(codes).toEqual(["IR001@5:3"]);
  });

  test("YAML 1.1 booleans warn: in boolean fields they keep PyYAML's meaning", () => {
    const { result, codes } = lower("name: t\ninstance_type: a100\nupload_code: no\nenv:\n  X: on\n");
    expect(codes).toEqual(["YAML003@3:14", "YAML003@5:6"]);
    expect(result.value?.upload_code).toBe(false);
    expect(result.value?.env).toEqual({ X: "on" });
  });

  test("instance types come out canonical", () => {
    expect(lower("name: t\ninstance_type: a100\n").result.value?.instance_type).toBe("1xa100");
  });
});

describe("Flow YAML: errors point at the source", () => {
  test("syntax error with its position; nothing else is guessed", () => {
    const { codes, result } = lower("name: t\ncommand: [a, b\nenv:\n  A: 1\n");
    expect(result.value).toBeUndefined();
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c.startsWith("YAML001@"))).toBe(true);
  });

  test("duplicate keys are errors with a note at the first", () => {
    const { result, codes, file } = lower(`${BASE}name: u\n`);
    expect(codes).toEqual(["YAML002@4:1"]);
    const d = result.diagnostics[0]!;
    expect(d.notes[0]?.span && file.text.slice(d.notes[0].span.start, d.notes[0].span.end)).toBe("name");
  });

  test("misspelled keys get did-you-mean, all in one run", () => {
    const { result, codes } = lower(
      "name: t\ninstance_type: a100\nmax_price: 1\nenvironment: {}\nssh_key: k\ninstance_count: 2\n",
    );
    expect(codes).toEqual(["IR003@3:1", "IR003@4:1", "IR003@5:1", "IR003@6:1"]);
    expect(result.diagnostics.map((d) => d.suggestions[0]?.replacement)).toEqual([
      "max_price_per_hour",
      "env",
      "ssh_keys",
      "num_instances",
    ]);
  });

  test("unknown keys inside volumes point at the key", () => {
    const { codes, result, file } = lower(`${BASE}volumes:\n  - size_gb: 1\n    mount_pth: /d\n`);
    expect(codes).toEqual(["IR003@6:5"]);
    expect(spanText(file, result.diagnostics[0]!)).toBe("mount_pth");
    expect(result.diagnostics[0]?.suggestions[0]?.replacement).toBe("mount_path");
  });

  test("type errors name the expected and the found kind", () => {
    const { result, codes } = lower(`${BASE}num_instances: two\n`);
    expect(codes).toEqual(["IR001@4:16"]);
    expect(result.diagnostics[0]?.message).toBe("`num_instances` must be a number, not a string");
  });

  test("missing name", () => {
    const { codes, result } = lower("instance_type: a100\n");
    expect(codes).toEqual(["IR002@1:1"]);
    expect(result.diagnostics[0]?.message).toBe("missing required field `name`");
  });

  test("not a mapping, empty file, several documents", () => {
    expect(lower("- a\n- b\n").codes).toEqual(["YAML004@1:1"]);
    expect(lower("").codes).toEqual(["FLOW003@1:1"]);
    expect(lower("# only a comment\n").codes).toEqual(["FLOW003@1:1"]);
    expect(lower(`${BASE}---\nname: u\n`).codes).toEqual(["YAML005@4:1"]);
  });

  test("anchors and aliases resolve", () => {
    const { result } = lower("name: &n t\ninstance_type: a100\nenv:\n  NAME: *n\n");
    expect(result.value?.env).toEqual({ NAME: "t" });
  });

  test("spans record keys and values", () => {
    const file = createSourceFile("j", "name: abc\nenv:\n  K: v\n");
    const read = readYaml(file);
    const env = read.spans.get("env.K");
    expect(env && file.text.slice(env.key!.start, env.key!.end)).toBe("K");
    expect(env && file.text.slice(env.value.start, env.value.end)).toBe("v");
  });
});

describe("Flow YAML: hostile documents end in one diagnostic, never a crash", () => {
  test("an alias bomb (billion laughs) stops at the expansion bound", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const name = String.fromCharCode(97 + i);
      const prev = String.fromCharCode(96 + i);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const { codes, result } = lower(`${lines.join("\n")}\nname: t\ninstance_type: a100\n`);
    expect(result.value).toBeUndefined();
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatch(/^YAML006@1:\d+$/); // at the value where the bound was reached
    expect(result.diagnostics[0]?.message).toContain("more than 100000 values");
  });

  test("nesting beyond 64 levels, and far beyond what the parser can read", () => {
    const nested = (n: number) => `name: t\ninstance_type: a100\nx: ${"[".repeat(n)}1${"]".repeat(n)}\n`;
    expect(lower(nested(100)).codes).toEqual(["YAML006@3:68"]);
    const deep = lower(nested(20_000));
    expect(deep.result.value).toBeUndefined();
    expect(deep.result.diagnostics[0]?.message).toContain("nested too deeply");
  });
});
