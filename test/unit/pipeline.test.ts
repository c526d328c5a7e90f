/** The pipeline with a partial table of frontends (the CLI loads frontends on demand). */
import { describe, expect, test } from "vitest";
import { lowerYaml } from "../../src/frontends/yaml/lower.ts";
import { compileWith } from "../../src/pipeline.ts";

describe("compileWith", () => {
  const yamlOnly = { yaml: lowerYaml };

  test("a format without a frontend in the table is FLOW002, not a crash", () => {
    const r = compileWith(yamlOnly, "#!/bin/bash\n#SBATCH -N 1\necho\n", { filename: "job.sbatch" });
    expect(r.ok).toBe(false);
    expect(r.format).toBe("slurm");
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["FLOW002", "the slurm format has no frontend in this compile"],
    ]);
    expect(r.bids).toEqual([]);
  });

  test("a format with one compiles", () => {
    const r = compileWith(yamlOnly, "name: t\ninstance_type: a100\ncommand: [x]\nupload_code: false\n", {
      filename: "t.yaml",
      project: "proj_x",
    });
    expect(r.ok).toBe(true);
    expect(r.bids).toHaveLength(1);
  });

  describe("secrets (the API key) never reach an artefact: FCP018", () => {
    const KEY = "fkey_SeCrEt0123456789";
    const job = (extra: string) =>
      `name: t\ninstance_type: a100\nupload_code: false\nregion: eu-central1-a\nmax_price_per_hour: 1\n${extra}`;

    test.each([
      ["an env value", `command: [x]\nenv:\n  MY_TOKEN: ${KEY}\n`],
      ["the script", `script: |\n  #!/bin/bash\n  curl -H "Authorization: Bearer ${KEY}" x\n`],
      ["a command word", `command: [curl, -H, "key ${KEY}"]\n`],
    ])("in %s: an error at the value, no bid, and the message never quotes it", (_, extra) => {
      const text = job(extra);
      const r = compileWith(yamlOnly, text, { filename: "t.yaml", project: "proj_x", secrets: [KEY] });
      expect(r.ok).toBe(false);
      expect(r.bids).toEqual([]);
      expect(r.startupScripts).toEqual([]);
      const d = r.diagnostics.find((x) => x.code === "FCP018");
      expect(d?.severity).toBe("error");
      expect(text.slice(d!.span!.start, d!.span!.end)).toBe(KEY);
      expect(JSON.stringify(r.diagnostics)).not.toContain(KEY);
    });

    test("written with a YAML escape, so the text never spells it: still FCP018, at no span", () => {
      const text = job('command: [x]\nenv:\n  MY_TOKEN: "fkey_\\x53eCrEt0123456789"\n');
      expect(text).not.toContain(KEY);
      const r = compileWith(yamlOnly, text, { filename: "t.yaml", project: "proj_x", secrets: [KEY] });
      expect(r.ok).toBe(false);
      expect(r.bids).toEqual([]);
      const d = r.diagnostics.find((x) => x.code === "FCP018");
      expect(d?.severity).toBe("error");
      expect(d?.span).toBeUndefined();
      expect(JSON.stringify(r.diagnostics)).not.toContain(KEY);
    });

    test("a secret shorter than 8 characters is ignored (it would match by chance)", () => {
      const r = compileWith(yamlOnly, job("command: [x]\n"), {
        filename: "t.yaml",
        project: "p",
        secrets: ["x"],
      });
      expect(r.ok).toBe(true);
    });

    test("without the key in the job, secrets change nothing", () => {
      const r = compileWith(yamlOnly, job("command: [x]\n"), {
        filename: "t.yaml",
        project: "p",
        secrets: [KEY],
      });
      expect(r.ok).toBe(true);
    });
  });

  test.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "a scriptLimit of %s is FLOW005, never a throw",
    (scriptLimit) => {
      const r = compileWith(yamlOnly, "name: t\ninstance_type: a100\ncommand: [x]\n", {
        filename: "t.yaml",
        scriptLimit,
      });
      expect(r.ok).toBe(false);
      expect(r.diagnostics.map((d) => d.code)).toEqual(["FLOW005"]);
      expect(r.bids).toEqual([]);
    },
  );
});
