/**
 * The SLURM path of `compile` on arbitrary input: it never throws (a crash on any input is a bug),
 * every span lies inside the file, every startup script fits the limit, and output is
 * deterministic — for random text, binary, and scripts built from real directive fragments
 * (valid, invalid, placeholders, odd quoting) followed by shell-like bodies.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.ts";

function checkInvariants(text: string) {
  const result = compile(text, { filename: "p.sbatch", format: "slurm", slurm: { set: {}, env: {} } });
  for (const d of result.diagnostics) {
    if (!d.span) continue;
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
  if (result.ok) {
    expect(result.bids.length).toBeGreaterThan(0);
    expect(result.startupScripts.length).toBe(result.bids.length);
    for (const s of result.startupScripts) expect(Math.max(s.bytes, s.chars)).toBeLessThanOrEqual(10_000);
  } else {
    expect(result.bids).toEqual([]);
  }
  const again = compile(text, { filename: "p.sbatch", format: "slurm", slurm: { set: {}, env: {} } });
  expect(JSON.stringify(again)).toBe(JSON.stringify(result));
}

const OPTIONS = [
  "--nodes=2",
  "-N 3-4",
  "-n 8",
  "--ntasks-per-node=4",
  "-c 16",
  "--cpus-per-task=0",
  "--gres=gpu:a100:4",
  "--gres=gpu:9",
  "--gpus=16",
  "--gpus-per-node=h100:8",
  "--gpus-per-task=2",
  "--constraint=v100",
  "--mem=0",
  "--mem=1.5G",
  "--mem-per-cpu=4G",
  "--time=1-12",
  "--time=UNLIMITED",
  "--time=9-00:00:00",
  "-t 1:30",
  "--array=0-3%2",
  "--array=1-10:3",
  "--array=x",
  "--output=o/%x_%A_%a.out",
  "--error=%j.err",
  "--open-mode=append",
  "--signal=B:USR1@300",
  "--export=ALL,A=1,B",
  "--partition=gpu",
  "--chdir=rel/dir",
  '--job-name="a b"',
  "-J 'x#y'",
  "--job-name",
  "--mail-type=END",
  "--account=lab",
  "--exclusive",
  "--begin=now+1hour",
  "--dependency=afterok:1",
  "--cpus=8",
  "--workdir=/x",
  "--gress=gpu",
  "--nodes={{n}}",
  "--gpus=$N",
  "-w node[01-04]",
  "hetjob",
  '--wrap="x"',
  '--comment="',
  ":bad",
  "--tasks=4",
  "-HN2",
];
const directive = fc.oneof(
  fc.constantFrom(...OPTIONS).map((o) => `#SBATCH ${o}`),
  fc.constantFrom(
    "  #SBATCH -N 2",
    "# SBATCH -t 5",
    "#sbatch -n 1",
    "##SBATCH --mem=1G",
    "#SLURM -t 5",
    "#PBS -l walltime=1:00:00",
  ),
  fc.string({ maxLength: 20 }).map((s) => `#SBATCH ${s}`),
);
const bodyLine = fc.oneof(
  fc.constantFrom(
    "module load cuda/12.1",
    "source activate env",
    "srun --mpi=pmix python a.py",
    "srun -n 4 hostname",
    "sbatch other.sh",
    "singularity exec img.sif python",
    "echo $SLURM_JOB_ID $SLURM_STEP_GPUS",
    "mpirun -np 8 a.out",
    "cat <<EOF\nmodule load x\nEOF",
    "python train.py 'quoted # not a comment'",
  ),
  fc.string({ maxLength: 40 }),
);
const script = fc
  .tuple(
    fc.constantFrom("#!/bin/bash\n", "#!/bin/sh\r\n", "", "\uFEFF#!/bin/bash\n"),
    fc.array(directive, { maxLength: 8 }),
    fc.array(bodyLine, { maxLength: 6 }),
  )
  .map(([shebang, directives, body]) => `${shebang}${directives.join("\n")}\n${body.join("\n")}\n`);

describe("compile (SLURM) on arbitrary input", () => {
  test("arbitrary text and binary never throw", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), checkInvariants), { numRuns: 300 });
  });

  test("scripts built from real directive fragments never throw", () => {
    fc.assert(fc.property(script, checkInvariants), { numRuns: 400 });
  });

  test("huge lines and many directives stay total", () => {
    checkInvariants(
      `#!/bin/bash\n#SBATCH --job-name=${"x".repeat(200_000)}\n#SBATCH --gres=gpu:1\necho hi\n`,
    );
    checkInvariants(`#!/bin/bash\n${"#SBATCH -N 1\n".repeat(5_000)}echo hi\n`);
    checkInvariants(`#!/bin/bash\n#SBATCH --gres=gpu:1\n${"echo 😀 $SLURM_JOB_ID\n".repeat(2_000)}`);
  });
});
