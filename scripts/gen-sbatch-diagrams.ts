/**
 * Writes grammars/sbatch-directives.html: the syntax diagrams of the directive-region grammar,
 * generated from the chevrotain parser itself (so they cannot drift from the code). Run with
 * `node scripts/gen-sbatch-diagrams.ts`; a test checks that the checked-in file is up to date.
 */
import { writeFileSync } from "node:fs";
import { sbatchDiagramsHtml } from "../src/frontends/slurm/read/diagrams.ts";

const target = new URL("../grammars/sbatch-directives.html", import.meta.url);
writeFileSync(target, sbatchDiagramsHtml());
console.log(`wrote ${target.pathname}`);
