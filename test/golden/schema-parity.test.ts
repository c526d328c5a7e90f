/**
 * Parity between the published editor schemas and the compiler: every good fixture validates
 * against `schema/flow.schema.json` (Flow YAML, including every `flow slurm convert` output) or
 * `schema/submitit.schema.json` (submitit JSON) with ajv, and every bad fixture is a schema
 * violation too — except the ones listed below, whose error no JSON Schema can state, each with
 * the reason.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";

const ajv = new Ajv2020({ strict: false, allErrors: true });
const flowSchema = ajv.compile(JSON.parse(readFileSync("schema/flow.schema.json", "utf8")));
const submititSchema = ajv.compile(JSON.parse(readFileSync("schema/submitit.schema.json", "utf8")));

/** Bad fixtures whose error is not a schema matter, and why. */
const SEMANTIC_ONLY: Readonly<Record<string, string>> = {
  "yaml/bad-duplicate.yaml": "duplicate keys: a parsed document keeps one of them, so no schema sees both",
  "yaml/bad-instance-type.yaml":
    "instance-type spellings are a grammar with suggestions (IT001), not a pattern",
  "yaml/bad-not-offered.yaml": "whether a region offers a type is the catalog's business",
  "yaml/bad-syntax.yaml": "not YAML at all: nothing to validate",
  "yaml/bad-too-large.yaml":
    "the startup script exceeds the size limit (FCP001): a property of the compiled script",
  "submitit/bad-syntax.json": "not JSON at all: nothing to validate",
  "submitit/bad-duplicate.json":
    "duplicate keys: a parsed document keeps one of them, so no schema sees both",
  "submitit/bad-gres-and-gpus.json":
    "sbatch refuses --gres with --gpus-per-node: a rule of the rendered options",
  "submitit/bad-time-too-long.json":
    "slurm_time is a Slurm duration string; its value (8 days) is sbatch grammar",
  "submitit/bad-bad-slurm-value.json": "slurm_mem is a Slurm size string; `lots` fails sbatch's size grammar",
  "submitit/bad-additional-unknown.json":
    "additional_parameters keys are sbatch option names (sbatch's table)",
  "submitit/bad-too-many-gpus.json": "16 GPUs per node is valid submitit; the cloud's largest node has 8",
  "submitit/bad-text-values.json":
    "a NUL character or a lone surrogate inside a string (IR005): the schema does not restrict what strings hold",
};

function load(path: string): { ok: true; value: unknown } | { ok: false } {
  const text = readFileSync(path, "utf8");
  try {
    return { ok: true, value: path.endsWith(".json") ? JSON.parse(text) : parse(text) };
  } catch {
    return { ok: false };
  }
}

const yamlFixtures = [
  ...readdirSync("fixtures/yaml")
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `yaml/${f}`),
  ...readdirSync("fixtures/slurm")
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `slurm/${f}`),
];
const submititFixtures = readdirSync("fixtures/submitit")
  .filter((f) => f.endsWith(".json") && !/\.(ir|bid)\.json$/.test(f))
  .map((f) => `submitit/${f}`);

describe.each([
  ["flow.schema.json", yamlFixtures, flowSchema],
  ["submitit.schema.json", submititFixtures, submititSchema],
] as const)("%s parity", (_, fixtures, validate) => {
  test("has fixtures", () => expect(fixtures.length).toBeGreaterThan(10));
  for (const fixture of fixtures) {
    const bad = fixture.split("/")[1]!.startsWith("bad-");
    test(fixture, () => {
      const doc = load(join("fixtures", fixture));
      const reason = SEMANTIC_ONLY[fixture];
      if (!bad) {
        expect(doc.ok).toBe(true);
        const valid = doc.ok && validate(doc.value);
        expect(valid, JSON.stringify(validate.errors)).toBe(true);
      } else if (reason !== undefined) {
        // Listed as semantic-only: it must really pass the schema (or not parse), else unlist it.
        expect(
          !doc.ok || validate(doc.value),
          `${fixture} violates the schema: remove it from SEMANTIC_ONLY`,
        ).toBe(true);
      } else {
        expect(doc.ok, `${fixture} does not parse: list it in SEMANTIC_ONLY`).toBe(true);
        expect(doc.ok && validate(doc.value), `${fixture} passes the schema`).toBe(false);
      }
    });
  }
});
