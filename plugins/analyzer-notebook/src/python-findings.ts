import type { AnalyzerContext, PositionInFile } from "@modelward/core";
import { pythonRisks, type PythonUnit } from "./python-risks.js";

/**
 * Checks Python units for runtime risks and reports them: each finding with
 * its line and column (and cell, execution count and JSON pointer in a
 * notebook). Code the parser could not check, and a parser that fails to
 * load, make the file incomplete, never a silent pass.
 */
export async function reportPythonRisks(ctx: AnalyzerContext, units: readonly PythonUnit[]): Promise<void> {
  let analysis;
  try {
    analysis = await pythonRisks(units, ctx.signal);
  } catch (error) {
    ctx.incomplete(`Python code not checked for runtime risks: the parser failed (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  for (const risk of analysis.risks) {
    const unit = units[risk.unit]!;
    const position: PositionInFile = { line: risk.line, column: risk.column };
    if (unit.cell !== undefined) position.cell = unit.cell;
    if (unit.jsonPointer) position.jsonPointer = unit.jsonPointer;
    ctx.report({ ruleId: risk.rule.id, severity: risk.severity, message: risk.message, position, evidence: risk.evidence });
  }
  for (const reason of analysis.unchecked) ctx.incomplete(reason);
  if (analysis.parsedUnits > 0) ctx.describe({ properties: { pythonUnitsParsed: analysis.parsedUnits, pythonUnitsWithSyntaxErrors: analysis.syntaxErrorUnits } });
}
