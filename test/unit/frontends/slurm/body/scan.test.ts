/**
 * The body scanner: which simple commands and variable references bash would see, and what it
 * must never see (comments, quoted text, here-document bodies, redirection targets).
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell text, where ${…} is parameter expansion
import { describe, expect, test } from "vitest";
import { scanShell, type VariableForm } from "../../../../../src/frontends/slurm/body/scan.ts";

interface Scanned {
  /** Each command from its command word, nested commands marked with a leading `$ `. */
  commands: string[];
  variables: string[];
  assignments: string[];
}

function scan(text: string): Scanned {
  const out: Scanned = { commands: [], variables: [], assignments: [] };
  scanShell(text, 0, "SLURM", {
    command(cmd) {
      const words: string[] = [];
      for (let i = cmd.first; i < cmd.count; i++) words.push(cmd.value(i));
      out.commands.push(`${cmd.nested ? "$ " : ""}${words.join(" ")}`);
    },
    variable(start: number, end: number, form: VariableForm) {
      out.variables.push(`${text.slice(start, end)}:${form}`);
    },
    assignment(start: number, end: number) {
      out.assignments.push(text.slice(start, end));
    },
  });
  return out;
}

describe("body scanner: commands", () => {
  test("separators split commands; redirections are not arguments", () => {
    expect(scan("cd /x && python a.py > out.log 2>&1 | tee log; echo done &\nwait").commands).toEqual([
      "cd /x",
      "python a.py",
      "tee log",
      "echo done",
      "wait",
    ]);
  });

  test("leading assignments and reserved words are skipped to the command word", () => {
    const { commands, assignments } = scan(
      "SLURM_X=1 OMP=4 srun -n 2 x\nif true; then srun y; fi\nwhile read l; do ! srun z; done\ntime -p srun w",
    );
    expect(commands).toEqual(["srun -n 2 x", "true", "srun y", "read l", "srun z", "srun w"]);
    expect(assignments).toEqual(["SLURM_X"]);
  });

  test("for, select and case headers, case patterns and function parentheses are not commands", () => {
    const text = [
      "for module in a b; do echo $module; done",
      "case $1 in",
      "  srun|module) echo pattern ;;",
      "  (sbatch) echo other ;;",
      "esac",
      "module() { echo fn; }",
      "function f { echo g; }",
    ].join("\n");
    expect(scan(text).commands).toEqual(["echo $module", "echo pattern", "echo other", "echo fn", "echo g"]);
  });

  test("a one-line case inside $(…) ends with the substitution", () => {
    expect(scan("x=$(case a in a) echo 1;; esac)\nsrun y").commands).toEqual(["$ echo 1", "srun y"]);
  });

  test("comments end at the newline; # inside a word is literal", () => {
    expect(scan("# module load x\necho a#b # srun --pty\n  # sbatch y").commands).toEqual(["echo a#b"]);
  });

  test("quoted text is one word and never a command", () => {
    expect(scan(`echo "module load x; srun" 'sbatch y' $'a\\'b' "a"'b'c`).commands).toEqual([
      "echo module load x; srun sbatch y a'b abc",
    ]);
  });

  test("here-document bodies are skipped, with any delimiter quoting and <<-", () => {
    const text = [
      "cat <<EOF > a.sh",
      "module load x",
      "EOF",
      "cat <<'END' ; echo same-line",
      "srun --pty bash",
      "END",
      'cat <<-"T"',
      "\tsbatch x",
      "\tT",
      "cat <<<'here string'",
      "echo after",
    ].join("\n");
    expect(scan(text).commands).toEqual(["cat", "cat", "echo same-line", "cat", "cat", "echo after"]);
  });

  test("two here-documents on one line are read in order", () => {
    expect(scan("paste <<A <<B\nsrun a\nA\nsrun b\nB\necho ok").commands).toEqual(["paste", "echo ok"]);
  });

  test("command substitutions, backticks and process substitutions are scanned as nested commands", () => {
    expect(
      scan(
        'x=$(scontrol show hostnames "$(echo a)")\necho "`hostname`" <(sort f)\neval "$(conda shell.bash hook)"',
      ).commands,
    ).toEqual([
      "$ echo a",
      '$ scontrol show hostnames "$(echo a)"',
      "$ hostname",
      "$ sort f",
      'echo "`hostname`" <(sort f)',
      "$ conda shell.bash hook",
      'eval "$(conda shell.bash hook)"',
    ]);
  });

  test("backslash-newline continues a command across lines", () => {
    expect(scan("srun \\\n  --mpi=pmix \\\r\n  python x.py\necho y").commands).toEqual([
      "srun --mpi=pmix python x.py",
      "echo y",
    ]);
  });

  test("array literals and arithmetic commands are not commands", () => {
    expect(scan("nodes=( $(srun hostname) a\n b )\n(( n = SLURM_NNODES * 2 ))\necho ok").commands).toEqual([
      "$ srun hostname",
      "echo ok",
    ]);
  });

  test("subshells and groups", () => {
    expect(scan("( cd x; srun a ) & { srun b; }").commands).toEqual(["cd x", "srun a", "srun b"]);
  });

  test("a process substitution as a redirection target is not an argument", () => {
    expect(scan("exec > >(tee -a log) 2>&1\necho x").commands).toEqual(["$ tee -a log", "exec", "echo x"]);
  });

  test("CR before LF is blank", () => {
    expect(scan("module load x\r\nsrun y\r\n").commands).toEqual(["module load x", "srun y"]);
  });
});

describe("body scanner: variables", () => {
  test("plain, braced, default and arithmetic references with the prefix", () => {
    const text =
      'echo $SLURM_JOB_ID "${SLURM_NTASKS}" ${SLURM_TMPDIR:-/tmp} ${SLURM_A-x} $((SLURM_PROCID + 1)) ${a[SLURM_LOCALID]} $HOME';
    expect(scan(text).variables).toEqual([
      "SLURM_JOB_ID:plain",
      "SLURM_NTASKS:plain",
      "SLURM_TMPDIR:default",
      "SLURM_A:default",
      "SLURM_PROCID:arithmetic",
      "SLURM_LOCALID:arithmetic",
    ]);
  });

  test("single quotes, escapes, comments and here-document bodies hide references", () => {
    const text =
      "echo '$SLURM_A' \\$SLURM_B \"\\$SLURM_C\" # $SLURM_D\ncat <<EOF\n$SLURM_E\nEOF\necho ${SLURM_F}";
    expect(scan(text).variables).toEqual(["SLURM_F:plain"]);
  });

  test("references inside nested substitutions and defaults", () => {
    expect(scan('x="$(echo ${SLURM_X:-$SLURM_Y})" `echo $SLURM_Z`').variables).toEqual([
      "SLURM_X:default",
      "SLURM_Y:plain",
      "SLURM_Z:plain",
    ]);
  });
});

describe("body scanner: robustness", () => {
  test("unterminated constructs end at the end of the text", () => {
    for (const text of [
      'echo "abc',
      "echo 'abc",
      "x=$(srun a",
      "echo ${a",
      "echo $((1+",
      "cat <<EOF\nabc",
      "echo `a",
    ]) {
      expect(() => scan(text)).not.toThrow();
    }
  });

  test("deep nesting is bounded, not recursed without limit", () => {
    const deep = `${"$(".repeat(5000)}srun x${")".repeat(5000)}`;
    expect(() => scan(deep)).not.toThrow();
    const ticks = `${"echo `".repeat(3000)}`;
    expect(() => scan(ticks)).not.toThrow();
    for (const opener of ["${", '${x:-"$(', "$((", "$(($(", "${a[", "x=(", '"$(']) {
      expect(() => scan(opener.repeat(20_000))).not.toThrow();
    }
    const after = scan(`echo ${"${".repeat(100)}${"}".repeat(100)}\nsrun x`);
    expect(after.commands.at(-1)).toBe("srun x");
  });

  test("the scan may start mid-file", () => {
    const text = "srun a\nsrun b";
    const seen: string[] = [];
    scanShell(text, 7, "SLURM", {
      command: (cmd) => seen.push(cmd.value(cmd.first)),
      variable: () => {},
      assignment: () => {},
    });
    expect(seen).toEqual(["srun"]);
  });
});
