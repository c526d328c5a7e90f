/**
 * Properties of the startup script (DESIGN invariants 4, 5, 6):
 * - for any valid task and any limit, the script is within the limit (bytes and characters) or
 *   there is no script and the error is FCP001 — never an oversize or truncated script;
 * - any env name and value, working-directory path and argv reach the command exactly, through
 *   bash, in the raw and in the compressed form alike;
 * - the API key (FLOW_API_KEY, or the project's .flow/credentials.yaml) is in no artefact.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { buildStartupScript } from "../../src/backends/fcp/script/assemble.ts";
import { compressedScript } from "../../src/backends/fcp/script/budget.ts";
import { measure } from "../../src/backends/fcp/script/section.ts";
import { type TaskConfig, TaskConfigSchema } from "../../src/ir/task-config.ts";
import { runCli } from "../helpers/cli.ts";
import { runScript } from "../helpers/shell.ts";

/** Strings of every kind but NUL, weighted towards what shells find hard. */
const text = (maxLength: number) =>
  fc
    .oneof(
      fc.string({ unit: "binary", maxLength }),
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
          "a",
        ),
        maxLength,
      }),
    )
    .map((s) => s.replaceAll("\0", ""));

/**
 * Variables bash itself sets or keeps read-only; a task cannot pass these through any shell
 * (reported to the IR's env rule: it accepts them today).
 */
const BASH_OWN =
  /^(_|BASH.*|SHELLOPTS|UID|EUID|PPID|PWD|OLDPWD|SHLVL|RANDOM|SRANDOM|SECONDS|LINENO|HOSTNAME|HOSTTYPE|OSTYPE|MACHTYPE|IFS|PATH|OPTIND|OPTARG|OPTERR|HISTCMD|FUNCNAME|GROUPS|DIRSTACK|PIPESTATUS|COMP_.*|EPOCH.*|REPLY|COLUMNS|LINES|MAIL.*|PS[0-4]|TMOUT|PROMPT_COMMAND|HIST.*|CDPATH|ENV|GLOBIGNORE|LC_.*|LANG|TERM)$/;
const envName = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/)
  .filter((n) => !n.startsWith("FLOW_") && !BASH_OWN.test(n));
const volumeName = fc.stringMatching(/^[a-z]([-a-z0-9]{0,40}[a-z0-9])?$/);

const task: fc.Arbitrary<TaskConfig> = fc
  .record(
    {
      env: fc.dictionary(envName, text(200), { maxKeys: 6 }),
      command: fc.oneof(fc.array(text(40), { minLength: 1, maxLength: 4 }), text(300)),
      script: text(3_000),
      useScript: fc.boolean(),
      image: fc.constantFrom("ubuntu:22.04", "nvcr.io/nvidia/pytorch:24.05-py3"),
      volumes: fc.array(
        fc.record({
          name: volumeName,
          size_gb: fc.integer({ min: 1, max: 100 }),
          interface: fc.constantFrom("block", "file"),
        }),
        { maxLength: 3 },
      ),
      max_run_time_hours: fc.double({ min: 0.001, max: 168, noNaN: true }),
      auto_terminate: fc.boolean(),
    },
    { requiredKeys: ["command", "script", "useScript"] },
  )
  .map(({ useScript, script, command, volumes, ...rest }) => ({
    name: "t",
    upload_code: false,
    ...(useScript ? { script } : { command }),
    ...(volumes?.length
      ? { volumes: volumes.map((v, i) => ({ ...v, name: `${v.name}-${i}`, mount_path: `/v${i}` })) }
      : {}),
    ...rest,
  }));

/** A code archive of `length` random bytes (gzip cannot shrink it) and its sha256. */
const code = fc.uint8Array({ maxLength: 12_000 }).map((bytes) => {
  const archive = Buffer.from(bytes);
  return { archive, sha256: createHash("sha256").update(archive).digest("hex") };
});

describe("the budget", () => {
  test.prop([task, code, fc.integer({ min: 200, max: 20_000 })], { numRuns: 150 })(
    "with code: within the limit (code embedded or awaited by upload) or FCP001",
    (t, c, limit) => {
      const result = buildStartupScript({ ...t, upload_code: true }, { limit, code: c });
      if (result.text === undefined) {
        expect(result.diagnostics.map((d) => d.code)).toEqual(["FCP001"]);
        return;
      }
      expect(Math.max(result.bytes, result.chars)).toBeLessThanOrEqual(limit);
      expect(result.code).toMatchObject({ sha256: c.sha256, bytes: c.archive.length });
      const raw =
        result.form === "raw"
          ? result.text
          : gunzipSync(Buffer.from(result.text.split("\n")[7]!, "base64")).toString();
      if (result.code!.mode === "embedded") expect(raw).toContain(c.archive.toString("base64"));
      else expect(raw).toContain(`echo "${c.sha256}  $FLOW_CODE" | sha256sum -c --quiet -`);
    },
  );

  test.prop([task, fc.integer({ min: 100, max: 20_000 })], { numRuns: 300 })(
    "the script fits the limit, or there is none and the error is FCP001",
    (t, limit) => {
      expect(TaskConfigSchema.safeParse(t).success).toBe(true);
      const result = buildStartupScript(t, { limit });
      if (result.text !== undefined) {
        const size = measure(result.text);
        expect(size.bytes).toBeLessThanOrEqual(limit);
        expect(size.chars).toBeLessThanOrEqual(limit);
        expect(result.diagnostics).toEqual([]);
        if (result.form === "compressed") {
          const body = result.text.split("\n")[7]!;
          expect(gunzipSync(Buffer.from(body, "base64")).length).toBe(result.raw.bytes);
        }
      } else {
        expect(result.diagnostics.map((d) => d.code)).toEqual(["FCP001"]);
        expect(Math.max(result.bytes, result.chars)).toBeGreaterThan(limit);
      }
    },
  );
});

describe("round trips through bash", () => {
  const dirs: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), "flow-prop-"));
    dirs.push(dir);
    return dir;
  };

  test.prop(
    [
      fc.dictionary(envName, text(40), { minKeys: 1, maxKeys: 5 }),
      fc.array(text(20), { maxLength: 5 }),
      fc.string({
        unit: fc.constantFrom("a", " ", "'", '"', "$", "é", "\\", "`", "-"),
        minLength: 1,
        maxLength: 12,
      }),
    ],
    { numRuns: 25 },
  )(
    "env names and values, the working directory and argv arrive exactly, raw and compressed",
    (env, args, dirName) => {
      const root = temp();
      try {
        const work = join(root, `w${dirName}`);
        const out = join(root, "out");
        const t: TaskConfig = {
          name: "t",
          working_dir: work,
          env,
          command: [
            "bash",
            "-c",
            `FLOW_D=$FLOW_OUT; pwd >"$FLOW_D/pwd"; : >"$FLOW_D/argv"; [ $# -eq 0 ] || printf "%s\\0" "$@" >"$FLOW_D/argv"; for FLOW_N in $FLOW_NAMES; do printf "%s=%s\\0" "$FLOW_N" "\${!FLOW_N}"; done >"$FLOW_D/env"`,
            "_",
            ...args,
          ],
        };
        const raw = buildStartupScript(t, { limit: 1_000_000 });
        expect(raw.form).toBe("raw");
        const names = Object.keys(env).sort().join(" ");
        for (const text of [raw.text!, compressedScript(raw.text!)]) {
          rmSync(out, { recursive: true, force: true });
          mkdirSync(out);
          const ran = runScript(text, {
            PATH: "/usr/bin:/bin",
            FLOW_LOG_DIR: join(root, "logs"),
            FLOW_OUT: out,
            FLOW_NAMES: names,
            LC_ALL: "C.UTF-8",
          });
          expect(ran.status, ran.stderr.toString()).toBe(0);
          expect(readFileSync(join(out, "pwd"), "utf8")).toBe(`${work}\n`);
          expect(readFileSync(join(out, "argv"), "utf8")).toBe(args.map((a) => `${a}\0`).join(""));
          const seen = readFileSync(join(out, "env"), "utf8");
          expect(seen).toBe(
            Object.keys(env)
              .sort()
              .map((n) => `${n}=${env[n]}\0`)
              .join(""),
          );
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});

describe("secrets", () => {
  test.prop([fc.stringMatching(/^fk_[A-Za-z0-9]{20,40}$/), fc.boolean()], { numRuns: 8 })(
    "the API key is in no artefact: not the script, the bid, the JSON, nor a diagnostic",
    async (key, small) => {
      const cwd = mkdtempSync(join(tmpdir(), "flow-key-"));
      try {
        mkdirSync(join(cwd, ".flow"));
        writeFileSync(join(cwd, ".flow", "credentials.yaml"), `api_key: ${key}\n`);
        writeFileSync(join(cwd, "train.py"), "print('train')\n");
        if (!small) writeFileSync(join(cwd, "weights.bin"), randomBytes(30_000));
        writeFileSync(
          join(cwd, "job.yaml"),
          "name: k\ninstance_type: a100\nregion: eu-central1-a\nmax_price_per_hour: 2\ncommand: [python, train.py]\nenv:\n  MODE: fast\n",
        );
        const env = { FLOW_API_KEY: key, HOME: cwd };
        // a project file holding the key is refused, naming the file only
        writeFileSync(join(cwd, "notes.txt"), `key: ${key}\n`);
        const refused = await runCli(["compile", "job.yaml"], { cwd, env });
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain("`notes.txt` contains the flow API key");
        expect(refused.stderr).not.toContain(key);
        writeFileSync(join(cwd, ".flowignore"), "notes.txt\n");
        const json = await runCli(["compile", "job.yaml", "--json", "--budget"], { cwd, env });
        expect(json.code, json.stderr).toBe(0);
        const emitted = await runCli(["compile", "job.yaml", "--emit", "s.sh", "--emit-bid", "b.json"], {
          cwd,
          env,
        });
        expect(emitted.code).toBe(0);
        const result = JSON.parse(json.stdout);
        const script: string = result.startup_scripts[0].text;
        const artefacts = [
          json.stdout,
          json.stderr,
          emitted.stdout,
          emitted.stderr,
          readFileSync(join(cwd, "s.sh"), "utf8"),
          readFileSync(join(cwd, "b.json"), "utf8"),
        ];
        // the embedded code archive too, decoded
        const embedded = /<<'FLOW_EOF' \| tar -xzmf - -C \/workspace\n([^\n]*)\n/.exec(script);
        if (embedded) artefacts.push(gunzipSync(Buffer.from(embedded[1]!, "base64")).toString("latin1"));
        expect(result.startup_scripts[0].code.mode).toBe(small ? "embedded" : "upload");
        for (const artefact of artefacts) expect(artefact).not.toContain(key);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
  );
});
