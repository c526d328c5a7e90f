/** Rule: a `script` without a `#!` line runs with bash; say so, since SDK examples show Python. */
import { diagnostic } from "../../diagnostics/diagnostic.ts";
import { spanAt } from "../span-map.ts";
import type { Check } from "./check.ts";

export const checkScriptInterpreter: Check = (task, spans) => {
  if (typeof task.script !== "string" || task.script.trimStart().startsWith("#!")) return [];
  return [
    diagnostic("IR017", "`script` has no `#!` line: it runs with bash", spanAt(spans, ["script"], true), {
      suggestions: [{ message: "start it with `#!/usr/bin/env python3` to run Python" }],
    }),
  ];
};
