// Writes a MilpModel as CPLEX LP text, the format HiGHS's one-shot solve()
// reads. Variables and rows get generated names (c0, c1, …; r0, r1, …) so
// that no caller's name can break the LP grammar; solve-milp maps back.

import type { LinearTerm, MilpModel } from "./milp-model.js";

export interface LpText {
  text: string;
  /** The model's variable names, in column order: column i is named `c${i}` in the text. */
  columns: readonly string[];
}

/** Throws a RangeError naming the first thing wrong with the model (unknown variable, NaN, empty bounds). */
export function toLpFormat(model: MilpModel): LpText {
  if (model.variables.length === 0) throw new RangeError("a MILP needs at least one variable");
  const index = new Map<string, number>();
  for (const v of model.variables) {
    if (index.has(v.name)) throw new RangeError(`variable "${v.name}" is declared twice`);
    index.set(v.name, index.size);
  }
  const expression = (terms: readonly LinearTerm[], where: string): string => {
    const merged = new Map<number, number>();
    for (const t of terms) {
      const col = index.get(t.variable);
      if (col === undefined) throw new RangeError(`${where} uses undeclared variable "${t.variable}"`);
      if (!Number.isFinite(t.coefficient)) throw new RangeError(`${where}: coefficient of "${t.variable}" is ${t.coefficient}`);
      merged.set(col, (merged.get(col) ?? 0) + t.coefficient);
    }
    const parts = [...merged].filter(([, c]) => c !== 0).map(([col, c]) => `${c < 0 ? "-" : "+"} ${num(Math.abs(c))} c${col}`);
    // An empty expression is written as 0 × the first column: the grammar needs a term.
    return parts.length === 0 ? "0 c0" : parts.join(" ").replace(/^\+ /, "");
  };

  const lines: string[] = [model.sense === "minimize" ? "Minimize" : "Maximize"];
  lines.push(` obj: ${expression(model.objective, "the objective")}`);
  lines.push("Subject To");
  let row = 0;
  for (const c of model.constraints) {
    const where = `constraint "${c.name}"`;
    const lhs = expression(c.terms, where);
    const lower = c.lower ?? Number.NEGATIVE_INFINITY;
    const upper = c.upper ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(lower) || Number.isNaN(upper) || lower > upper) {
      throw new RangeError(`${where} has bounds [${lower}, ${upper}]`);
    }
    if (lower === upper) {
      lines.push(` r${row++}: ${lhs} = ${num(lower)}`);
      continue;
    }
    // Two-sided rows become two rows: plain LP grammar, no ranges section.
    if (lower > Number.NEGATIVE_INFINITY) lines.push(` r${row++}: ${lhs} >= ${num(lower)}`);
    if (upper < Number.POSITIVE_INFINITY) lines.push(` r${row++}: ${lhs} <= ${num(upper)}`);
  }
  lines.push("Bounds");
  const generals: string[] = [];
  const binaries: string[] = [];
  model.variables.forEach((v, col) => {
    const name = `c${col}`;
    if (v.kind === "binary") {
      binaries.push(name);
      return;
    }
    if (v.kind === "integer") generals.push(name);
    const lower = v.lower ?? 0;
    const upper = v.upper ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(lower) || Number.isNaN(upper) || lower > upper) {
      throw new RangeError(`variable "${v.name}" has bounds [${lower}, ${upper}]`);
    }
    lines.push(` ${bound(lower)} <= ${name} <= ${bound(upper)}`);
  });
  if (generals.length > 0) lines.push("Generals", ` ${generals.join(" ")}`);
  if (binaries.length > 0) lines.push("Binaries", ` ${binaries.join(" ")}`);
  lines.push("End");
  return { text: lines.join("\n"), columns: model.variables.map((v) => v.name) };
}

function num(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`a constraint's right-hand side is ${x}`);
  return String(x);
}

function bound(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return "+inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  return String(x);
}
