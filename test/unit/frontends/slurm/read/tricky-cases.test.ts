/** The tricky cases of spec §12 that concern reading (the others are the lowering's), by number. */
import { describe, expect, test } from "vitest";
import { read, SH, the } from "./read-helper.ts";

describe("spec §12, the reading cases", () => {
  test('#18 `--job-name="my job" # comment` names the job `my job`', () => {
    const { values, codes } = read(`${SH}#SBATCH --job-name="my job" # comment\n`);
    expect(values).toEqual({ "job-name": "my job" });
    expect(codes).toEqual([]);
  });

  test("#19 `--job-name=my job`: stray word `job` fails the submission", () => {
    const { values, codes } = read(`${SH}#SBATCH --job-name=my job\n`);
    expect(codes).toEqual(["SBATCH013@2:23"]);
    expect(values).toEqual({ "job-name": "my" });
  });

  test("#20 `--job-name=run#3` names the job `run`", () => {
    expect(read(`${SH}#SBATCH --job-name=run#3\n`).values).toEqual({ "job-name": "run" });
  });

  test("#21 `--job-name=$USER-train` is literal (and reported)", () => {
    const { values, codes } = read(`${SH}#SBATCH --job-name=$USER-train\n`);
    expect(values).toEqual({ "job-name": "$USER-train" });
    expect(codes).toEqual(["SBATCH016@2:20"]);
  });

  test("#22 directives after `module load cuda` are ignored (flow says so)", () => {
    const { values, codes } = read(`${SH}module load cuda\n#SBATCH -N 2\n`);
    expect(values).toEqual({});
    expect(codes).toEqual(["SBATCH005@3:1"]);
  });

  test("#23 an indented `#SBATCH` is a comment and scanning continues", () => {
    const { values, codes } = read(`${SH}  #SBATCH --time=10\n#SBATCH -N 1\n`);
    expect(values).toEqual({ nodes: "1" });
    expect(codes).toEqual(["SBATCH005@2:1"]);
  });

  test("#24 `#sbatch` and `# SBATCH` are comments", () => {
    const { values, codes } = read(`${SH}#sbatch --time=10\n# SBATCH --time=10\n`);
    expect(values).toEqual({});
    expect(codes).toEqual(["SBATCH005@2:1", "SBATCH005@3:1"]);
  });

  test("#29 `out\\%j.log` reads as `out%j.log`; `out\\\\%j.log` keeps one backslash", () => {
    expect(read(`${SH}#SBATCH --output=out\\%j.log\n`).values).toEqual({ output: "out%j.log" });
    expect(read(`${SH}#SBATCH --output=out\\\\%j.log\n`).values).toEqual({ output: "out\\%j.log" });
  });

  test("#30 `-J=train` names the job `=train`", () => {
    expect(read(`${SH}#SBATCH -J=train\n`).values).toEqual({ "job-name": "=train" });
  });

  test("#31 `--part=gpu` is `--partition=gpu`", () => {
    const { reading } = read(`${SH}#SBATCH --part=gpu\n`);
    expect(reading.effective.get("partition")).toMatchObject({ written: "--part", value: "gpu" });
  });

  test("#32 `--cpus=8` is ambiguous", () => {
    expect(read(`${SH}#SBATCH --cpus=8\n`).codes).toEqual(["SBATCH010@2:9"]);
  });

  test("#33 `--exclusive user` fails; it must be `--exclusive=user`", () => {
    expect(read(`${SH}#SBATCH --exclusive user\n`).codes).toEqual(["SBATCH013@2:21"]);
  });

  test("#34 `--time 10` then `--time=20`: 20", () => {
    expect(read(`${SH}#SBATCH --time 10\n#SBATCH --time=20\n`).values).toEqual({ time: "20" });
  });

  test("#35 `--job-name` at the end of a line takes `--time=5` from the next: no time set", () => {
    const { values, codes } = read(`${SH}#SBATCH --job-name\n#SBATCH --time=5\n`);
    expect(values).toEqual({ "job-name": "--time=5" });
    expect(codes).toEqual(["SBATCH011@2:9"]);
  });

  test("#36 `--workdir=/x` is refused; use `--chdir`", () => {
    const { codes, reading } = read(`${SH}#SBATCH --workdir=/x\n`);
    expect(codes).toEqual(["SBATCH019@2:9"]);
    expect(the(reading, "SBATCH019").suggestions[0]?.replacement).toBe("--chdir");
  });

  test('#37 `--wrap="python a.py"` is ignored inside a script', () => {
    const { codes, values } = read(`${SH}#SBATCH --wrap="python a.py"\n`);
    expect(codes).toEqual(["SBATCH018@2:9"]);
    expect(values).toEqual({});
  });

  test("#38 `#SLURM --time=5` is accepted, with a warning", () => {
    expect(read(`${SH}#SLURM --time=5\n`).values).toEqual({ time: "5" });
  });

  test("#40 `SBATCH_TIMELIMIT=30` beats `#SBATCH -t 60`", () => {
    expect(read(`${SH}#SBATCH -t 60\n`, { env: { SBATCH_TIMELIMIT: "30" } }).values).toEqual({ time: "30" });
  });

  test("#46 `#SBATCH hetjob` is a separator; `#SBATCH -N1 hetjob` is not", () => {
    expect(the(read(`${SH}#SBATCH hetjob\n`).reading, "SBATCH015").severity).toBe("error");
    expect(the(read(`${SH}#SBATCH -N1 hetjob\n`).reading, "SBATCH015").severity).toBe("warning");
  });

  test("#47 a CRLF script: sbatch refuses it; flow warns and reads it", () => {
    const { codes, values } = read("#!/bin/bash\r\n#SBATCH -N 2\r\n");
    expect(codes).toEqual(["SBATCH003@1:12"]);
    expect(values).toEqual({ nodes: "2" });
  });

  test("#49 `#PBS -l walltime=2:00:00` with `#SBATCH -t 10`: flow does not apply the PBS line, and says so", () => {
    const { codes, values } = read(`${SH}#PBS -l walltime=2:00:00\n#SBATCH -t 10\n`);
    expect(codes).toEqual(["SBATCH017@2:1"]);
    expect(values).toEqual({ time: "10" });
  });

  test("#51 `--tasks=4` abbreviates --tasks-per-node, not --ntasks", () => {
    const { reading, values } = read(`${SH}#SBATCH --tasks=4\n`);
    expect(values).toEqual({ "ntasks-per-node": "4" });
    expect(reading.effective.get("ntasks-per-node")?.spec.long).toBe("tasks-per-node");
  });

  test("#52 `--get-user-env=L` is fatal in this sbatch (the option takes no argument)", () => {
    expect(read(`${SH}#SBATCH --get-user-env=L\n`).codes).toEqual(["SBATCH012@2:9"]);
  });

  test("#53 `--gpus=$N` is a placeholder, not a GPU type", () => {
    const { codes, reading } = read(`${SH}#SBATCH --gpus=$N\n`);
    expect(codes).toEqual(["SBATCH016@2:16"]);
    expect(the(reading, "SBATCH016").suggestions.at(-1)?.message).toContain("--set N=");
  });

  test("#54 `#SBATCH hetjob -N2`: a new component; `-N2` is dropped", () => {
    const { codes, values } = read(`${SH}#SBATCH -N 1\n#SBATCH hetjob -N2\n`);
    expect(codes).toEqual(["SBATCH015@3:9"]);
    expect(values).toEqual({ nodes: "1" });
  });
});
