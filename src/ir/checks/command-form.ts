/**
 * Rule: at most one of `command`, `shell`, `script` (none means the task sleeps until stopped), and
 * an argv `command` names a program first.
 */
import { diagnostic } from "../../diagnostics/diagnostic.ts";
import { spanAt } from "../span-map.ts";
import { type Check, has } from "./check.ts";

const FORMS = ["command", "shell", "script"] as const;

export const checkCommandForm: Check = (task, spans) => {
  const given = FORMS.filter((f) => has(task, f));
  const program = Array.isArray(task.command) ? task.command[0] : undefined;
  const empty =
    program === ""
      ? [
          diagnostic(
            "IR005",
            "the program name (the first element of `command`) is empty",
            spanAt(spans, ["command", 0]),
            {
              suggestions: [{ message: "name the program to run first, e.g. `[python, train.py]`" }],
            },
          ),
        ]
      : [];
  if (given.length <= 1) return empty;
  const [first, ...rest] = given;
  return [
    ...empty,
    ...rest.map((extra) =>
      diagnostic(
        "IR007",
        `\`${extra}\` given as well as \`${first}\`: a task has one command form`,
        spanAt(spans, [extra], true),
        {
          notes: [{ message: `\`${first}\` is given here`, span: spanAt(spans, [first as string], true) }],
          suggestions: [{ message: `keep one of ${given.map((g) => `\`${g}\``).join(", ")}` }],
        },
      ),
    ),
  ];
};
