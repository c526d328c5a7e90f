/** Test helper: reads a script and returns what the assertions look at. */
import { type ReadSbatchOptions, readSbatch } from "../../../../../src/frontends/slurm/read/index.ts";
import { createSourceFile, type Span } from "../../../../../src/source/source-file.ts";
import { codesAt } from "../../../../helpers/diagnostics.ts";

/** The shebang most tests start with, so that directives begin on line 2. */
export const SH = "#!/bin/bash\n";

/** Reads `text`; `values` maps each effective option to its value (null for a flag). */
export function read(text: string, options?: ReadSbatchOptions) {
  const file = createSourceFile("job.sbatch", text);
  const reading = readSbatch(file, options);
  const values = Object.fromEntries(
    [...reading.effective].map(([k, o]) => [k, o.value === undefined ? null : o.value]),
  );
  const slice = (s: Span | undefined) => (s ? text.slice(s.start, s.end) : undefined);
  return { file, reading, values, slice, codes: codesAt(file, reading.diagnostics) };
}

/** The diagnostic with this code (the first one), for message assertions. */
export function the(reading: { diagnostics: readonly { code: string }[] }, code: string) {
  const d = reading.diagnostics.find((x) => x.code === code);
  if (!d) throw new Error(`no ${code} among ${reading.diagnostics.map((x) => x.code).join(", ")}`);
  return d as import("../../../../../src/diagnostics/diagnostic.ts").Diagnostic;
}
