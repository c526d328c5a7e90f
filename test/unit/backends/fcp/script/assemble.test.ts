import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  buildStartupScript,
  DEFAULT_SCRIPT_LIMIT,
  startupScriptSections,
} from "../../../../../src/backends/fcp/script/assemble.ts";
import { measure, measured, sectionOf } from "../../../../../src/backends/fcp/script/section.ts";
import type { TaskConfig } from "../../../../../src/ir/task-config.ts";
import { bashSyntaxCheck, runScript, shellcheck } from "../../../../helpers/shell.ts";

/** `length` characters of hex digits from a hash chain: text gzip cannot shrink much. */
function noise(length: number): string {
  let out = "";
  for (let block = createHash("sha256").update("seed").digest(); out.length < length; ) {
    out += block.toString("hex");
    block = createHash("sha256").update(block).digest();
  }
  return out.slice(0, length);
}

const TYPICAL: TaskConfig = {
  name: "train",
  instance_type: "8xh100",
  image: "nvcr.io/nvidia/pytorch:24.05-py3",
  command: ["torchrun", "--nproc_per_node=8", "train.py", "--data", "/data/imagenet"],
  env: { WANDB_PROJECT: "resnet", NCCL_DEBUG: "INFO", HF_HOME: "/data/hf cache" },
  volumes: [{ name: "datasets", mount_path: "/data" }],
};

describe("measure", () => {
  it("counts UTF-8 bytes and code points", () => {
    expect(measure("")).toEqual({ bytes: 0, chars: 0 });
    expect(measure("abc")).toEqual({ bytes: 3, chars: 3 });
    expect(measure("é")).toEqual({ bytes: 2, chars: 1 });
    expect(measure("中")).toEqual({ bytes: 3, chars: 1 });
    expect(measure("😀")).toEqual({ bytes: 4, chars: 1 });
    expect(measure("a\ud800b")).toEqual({ bytes: 5, chars: 3 });
  });

  test.prop([fc.string({ unit: "binary" })])(
    "agrees with TextEncoder and the code points of any string",
    (text) => {
      expect(measure(text)).toEqual({
        bytes: new TextEncoder().encode(text).length,
        chars: [...text].length,
      });
    },
  );
});

describe("sectionOf (constants measured once)", () => {
  const line = fc.string({ unit: "binary" }).map((s) => s.replaceAll("\n", " "));
  const part = fc.oneof(
    fc.array(line),
    fc.string({ unit: "binary" }).map((text) => ({ text })),
  );
  test.prop([fc.array(part, { maxLength: 6 })])(
    "its size is that of its text, and its text is its parts' lines each ending in a newline",
    (parts) => {
      const s = sectionOf(
        "s",
        parts.map((p) => (Array.isArray(p) ? p : measured(p.text))),
      );
      expect(s.size).toEqual(measure(s.text));
      expect(s.text).toBe(
        parts
          .flatMap((p) => (Array.isArray(p) ? p : [p.text]))
          .map((l) => `${l}\n`)
          .join(""),
      );
    },
  );

  it("gives a SLURM job's slurm section the size of its text", () => {
    const task: TaskConfig = {
      name: "j",
      script: "#!/bin/bash\nsrun hostname\n",
      slurm: { job_name: "ü-job" },
    };
    const slurm = startupScriptSections(task).find((s) => s.name === "slurm");
    expect(slurm?.size).toEqual(measure(slurm?.text ?? ""));
  });
});

describe("sectionCache (the scripts of a SLURM array)", () => {
  it("gives every array task exactly the script built without it", () => {
    const task = {
      name: "sweep",
      image: "pytorch/pytorch:2.3.0",
      script: "#!/bin/bash\nsrun python train.py --seed $SLURM_ARRAY_TASK_ID\n",
      env: { A: "1" },
      max_run_time_hours: 1,
      array: { task_ids: [0, 1, 5] },
      slurm: { ntasks: 2, time_limit_minutes: 60 },
    };
    const sectionCache = new Map();
    for (const arrayTaskId of [0, 1, 5]) {
      const shared = buildStartupScript(task, { arrayTaskId, sectionCache });
      const alone = buildStartupScript(task, { arrayTaskId });
      expect(shared.text).toBeDefined();
      expect(shared).toEqual(alone);
    }
    expect(sectionCache.has("slurm")).toBe(false);
    expect(sectionCache.size).toBeGreaterThan(3);
  });
});

describe("buildStartupScript", () => {
  it("builds a small, valid script for a typical docker task", () => {
    const result = buildStartupScript(TYPICAL);
    expect(result.text).toBeDefined();
    expect(result.diagnostics).toEqual([]);
    expect(result.limit).toBe(DEFAULT_SCRIPT_LIMIT);
    expect(result.sections.map((s) => s.name)).toEqual([
      "header",
      "volumes",
      "runtime",
      "setup",
      "env",
      "run",
    ]);
    expect(result.form).toBe("raw");
    expect(result.sections.reduce((n, s) => n + s.bytes, 0)).toBe(result.bytes);
    expect(result.raw).toEqual({ bytes: result.bytes, chars: result.chars });
    expect(measure(result.text!)).toEqual({ bytes: result.bytes, chars: result.chars });
    // a volume mounted by name, Docker and the NVIDIA toolkit installed when missing, the pull
    // (apt retried at first boot, the disk probed twice before formatting, fstab replaced whole)
    expect(result.bytes).toBeLessThan(3_300);
    expect(result.text!.startsWith("#!/bin/bash\n")).toBe(true);
    bashSyntaxCheck(result.text!);
    shellcheck(result.text!);
  });

  it("omits sections the task does not need", () => {
    expect(startupScriptSections({ name: "t", upload_code: false }).map((s) => s.name)).toEqual([
      "header",
      "run",
    ]);
    expect(startupScriptSections({ name: "t" }).map((s) => s.name)).toEqual(["header", "setup", "run"]);
  });

  it("is deterministic", () => {
    const reordered: TaskConfig = {
      ...TYPICAL,
      env: Object.fromEntries(Object.entries(TYPICAL.env!).reverse()),
    };
    const a = buildStartupScript(TYPICAL);
    expect(buildStartupScript(TYPICAL)).toEqual(a);
    expect(buildStartupScript(structuredClone(TYPICAL)).text).toBe(a.text);
    expect(buildStartupScript(reordered).text).toBe(a.text);
  });

  it("ships a script over the limit compressed when that fits", () => {
    const task: TaskConfig = { ...TYPICAL, env: { ...TYPICAL.env, BIG: "x".repeat(12_000) } };
    const result = buildStartupScript(task);
    expect(result.form).toBe("compressed");
    expect(result.raw.bytes).toBeGreaterThan(12_000);
    expect(result.bytes).toBeLessThan(2_600);
    expect(result.diagnostics).toEqual([]);
    expect(measure(result.text!)).toEqual({ bytes: result.bytes, chars: result.chars });
    bashSyntaxCheck(result.text!);
    shellcheck(result.text!);
  });

  it("fails over the limit without truncating, naming the largest sections", () => {
    const task: TaskConfig = { ...TYPICAL, env: { ...TYPICAL.env, BIG: noise(12_000) } };
    const result = buildStartupScript(task);
    expect(result.text).toBeUndefined();
    expect(result.form).toBe("compressed");
    expect(result.raw.bytes).toBeGreaterThan(12_000);
    expect(result.bytes).toBeGreaterThan(10_000);
    expect(result.sections.map((s) => s.name)).toEqual([
      "header",
      "volumes",
      "runtime",
      "setup",
      "env",
      "run",
    ]);
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d!.code).toBe("FCP001");
    expect(d!.severity).toBe("error");
    expect(d!.message).toContain(`${result.raw.bytes.toLocaleString("en-US")} bytes`);
    expect(d!.message).toContain(`${result.bytes.toLocaleString("en-US")} bytes compressed`);
    expect(d!.message).toContain("10,000");
    expect(d!.notes.map((n) => n.message.split(":")[0])).toEqual([
      "section env",
      "section volumes",
      "section runtime",
      "section run",
      "section header",
      "section setup",
    ]);
    const env = result.sections.find((s) => s.name === "env")!;
    expect(d!.notes[0]!.message).toBe(`section env: ${env.bytes.toLocaleString("en-US")} bytes`);
    expect(d!.suggestions[0]!.message).toMatch(/env values are the largest part/);
    expect(d!.suggestions[1]!.message).toMatch(/image or a volume.*--script-limit/);
  });

  it("blames the modules section, not the batch script, for a huge module-map setup step", () => {
    const task: TaskConfig = {
      name: "j",
      script: "#!/bin/bash\nmodule load big/1\npython x.py\n",
      upload_code: false,
      slurm: { job_name: "j", modules: { "big/1": `export BIG=${noise(12_000)}` } },
    };
    const result = buildStartupScript(task);
    expect(result.text).toBeUndefined();
    expect(result.sections.map((s) => s.name)).toEqual(["header", "setup", "slurm", "modules", "run"]);
    const modules = result.sections.find((s) => s.name === "modules")!;
    expect(modules.bytes).toBeGreaterThan(12_000);
    expect(result.sections.find((s) => s.name === "slurm")!.bytes).toBeLessThan(6_000);
    const [d] = result.diagnostics;
    expect(d!.code).toBe("FCP001");
    expect(d!.notes[0]!.message).toBe(`section modules: ${modules.bytes.toLocaleString("en-US")} bytes`);
    expect(d!.suggestions[0]!.message).toMatch(/module map's setup steps are the largest part/);
  });

  it("gives the modules section the size of its text, and none without module commands", () => {
    const task: TaskConfig = {
      name: "j",
      script: "#!/bin/bash\nmodule load ü/1\n",
      upload_code: false,
      slurm: { job_name: "j", modules: { "ü/1": "export U='ü'" } },
    };
    const modules = startupScriptSections(task).find((s) => s.name === "modules");
    expect(modules?.size).toEqual(measure(modules?.text ?? ""));
    const { modules: _, ...slurm } = task.slurm!;
    expect(startupScriptSections({ ...task, slurm }).map((s) => s.name)).not.toContain("modules");
  });

  it("ships raw exactly at the limit, compressed one below, and fails far below", () => {
    const { bytes } = buildStartupScript(TYPICAL);
    const at = buildStartupScript(TYPICAL, { limit: bytes });
    expect(at.form).toBe("raw");
    expect(at.text).toBeDefined();
    const below = buildStartupScript(TYPICAL, { limit: bytes - 1 });
    expect(below.form).toBe("compressed");
    expect(below.bytes).toBeLessThanOrEqual(bytes - 1);
    const far = buildStartupScript(TYPICAL, { limit: 300 });
    expect(far.text).toBeUndefined();
    expect(far.limit).toBe(300);
    expect(far.diagnostics.map((d) => d.code)).toEqual(["FCP001"]);
  });

  it("counts a non-ASCII value in bytes and in characters", () => {
    const plain = buildStartupScript({ name: "t", env: { V: "x" }, upload_code: false });
    const task: TaskConfig = { name: "t", env: { V: "😀é" }, upload_code: false };
    const result = buildStartupScript(task);
    // 'x' becomes quoted '😀é': two quote characters, one more code point, 6 − 1 + 2 more bytes.
    expect(result.chars).toBe(plain.chars + 3);
    expect(result.bytes).toBe(plain.bytes + 7);
    expect(buildStartupScript(task, { limit: result.bytes }).form).toBe("raw");
    // one byte less: within the limit in characters, not in bytes, so it ships compressed
    expect(result.chars).toBeLessThanOrEqual(result.bytes - 1);
    expect(buildStartupScript(task, { limit: result.bytes - 1 }).form).toBe("compressed");
    const none = buildStartupScript(task, { limit: 100 });
    expect(none.text).toBeUndefined();
    expect(none.diagnostics[0]!.message).toContain(
      `${result.bytes.toLocaleString("en-US")} bytes (${result.chars.toLocaleString("en-US")} characters)`,
    );
  });

  it("rejects a limit that is not a positive integer", () => {
    expect(() => buildStartupScript(TYPICAL, { limit: 0 })).toThrow(RangeError);
    expect(() => buildStartupScript(TYPICAL, { limit: 1.5 })).toThrow(RangeError);
  });
});

/** Env values of every kind except NUL (which the IR rejects). */
const envValue = fc
  .oneof(
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.string({
      unit: fc.constantFrom(
        "'",
        '"',
        "\\",
        "\n",
        " ",
        "$",
        "`",
        "!",
        "$(id)",
        `\${HOME}`,
        "é",
        "😀",
        "-e",
        "=",
      ),
      maxLength: 20,
    }),
  )
  .map((s) => s.replaceAll("\0", ""));

describe("the script reproduces env values exactly (real bash)", () => {
  test.prop([fc.array(envValue, { minLength: 1, maxLength: 8 })], { numRuns: 50 })(
    "the command sees every value byte for byte",
    (values) => {
      const root = mkdtempSync(join(tmpdir(), "flow-env-"));
      try {
        const work = join(root, "work");
        const logs = join(root, "logs");
        mkdirSync(work);
        const names = values.map((_, i) => `V${i}`);
        const task: TaskConfig = {
          name: "t",
          working_dir: work,
          env: Object.fromEntries(names.map((n, i) => [n, values[i]!])),
          command: [
            "bash",
            "-c",
            `for n in ${names.join(" ")}; do printf '%s\\0' "\${!n}"; done >values.bin`,
          ],
        };
        const { text } = buildStartupScript(task);
        expect(text).toBeDefined();
        bashSyntaxCheck(text!);
        shellcheck(text!);
        const run = runScript(text!, { PATH: "/usr/bin:/bin", FLOW_LOG_DIR: logs });
        expect(run.stderr.toString()).toBe("");
        expect(run.status).toBe(0);
        const expected = Buffer.from(values.map((v) => `${v}\0`).join(""), "utf8");
        expect(readFileSync(join(work, "values.bin")).equals(expected)).toBe(true);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
