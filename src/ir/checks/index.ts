/** Every TaskConfig rule, run in a fixed order so output is deterministic. */
import type { Diagnostic } from "../../diagnostics/diagnostic.ts";
import type { SpanMap } from "../span-map.ts";
import type { Check, RawTask } from "./check.ts";
import { checkCommandForm } from "./command-form.ts";
import { checkEnv } from "./env.ts";
import { checkInstanceSpec } from "./instance-spec.ts";
import { checkInstanceType } from "./instance-type.ts";
import { checkMountPaths } from "./mount-paths.ts";
import { checkRunTime } from "./run-time.ts";
import { checkScriptInterpreter } from "./script-interpreter.ts";
import { checkTextValues } from "./text-values.ts";
import { checkVolumeNames } from "./volume-names.ts";
import { checkVolumeSource } from "./volume-source.ts";

const CHECKS: readonly Check[] = [
  checkInstanceSpec,
  checkInstanceType,
  checkCommandForm,
  checkMountPaths,
  checkVolumeSource,
  checkVolumeNames,
  checkRunTime,
  checkEnv,
  checkScriptInterpreter,
  checkTextValues,
];

/** Runs every rule on a raw task. */
export function runChecks(task: RawTask, spans: SpanMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const check of CHECKS) {
    const found = check(task, spans);
    for (const d of found) out.push(d);
  }
  return out;
}
