/**
 * The syntax diagrams of the directive-region grammar, rendered by chevrotain from the parser's own
 * productions — the checked-in grammars/sbatch-directives.html is this text, so it cannot drift.
 */
import { createSyntaxDiagramsCode } from "chevrotain";
import { sbatchParser } from "./parser.ts";

/** The HTML page of syntax diagrams for `script`, `directive` and `body`. */
export function sbatchDiagramsHtml(): string {
  return createSyntaxDiagramsCode(sbatchParser().getSerializedGastProductions());
}
