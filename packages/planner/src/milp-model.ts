// A mixed-integer linear programme as data: named variables with bounds and
// a kind, linear constraints, a linear objective. The planner builds these;
// solve-milp turns them into HiGHS input, so nothing else writes LP text.

export type VariableKind = "continuous" | "integer" | "binary";

export interface MilpVariable {
  /** Unique within the model; any text (the LP file uses generated names). */
  name: string;
  kind: VariableKind;
  /** Default 0 (−Infinity for a free variable). Binary variables are always [0, 1]. */
  lower?: number;
  /** Default +Infinity. */
  upper?: number;
}

/** coefficient × variable. */
export interface LinearTerm {
  variable: string;
  coefficient: number;
}

/** lower ≤ Σ terms ≤ upper; give one bound or both (equal for an equality). */
export interface MilpConstraint {
  name: string;
  terms: readonly LinearTerm[];
  lower?: number;
  upper?: number;
}

export interface MilpModel {
  sense: "minimize" | "maximize";
  objective: readonly LinearTerm[];
  /** Constant added to the objective value (HiGHS is given none). */
  objectiveOffset?: number;
  variables: readonly MilpVariable[];
  constraints: readonly MilpConstraint[];
}

/** An optimal solution: each variable's value by name. */
export interface MilpSolution {
  objectiveValue: number;
  values: ReadonlyMap<string, number>;
}

/** Shorthand for a term. */
export function term(variable: string, coefficient = 1): LinearTerm {
  return { variable, coefficient };
}
