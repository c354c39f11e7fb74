// The one door to HiGHS (the `highs` package: HiGHS compiled to WebAssembly).
// A typed MilpModel goes in; an optimal solution comes out, or a MilpError
// that says why there is none. HiGHS is loaded once per process, on first use.

import highsEntry from "highs";
import { toLpFormat } from "./lp-format.js";
import type { MilpModel, MilpSolution } from "./milp-model.js";

/** Why a solve gave no optimal solution. */
export type MilpFailure = "infeasible" | "unbounded" | "infeasible-or-unbounded" | "limit" | "error";

export class MilpError extends Error {
  override readonly name = "MilpError";
  constructor(
    readonly failure: MilpFailure,
    /** HiGHS's own status text, e.g. "Infeasible". */
    readonly highsStatus: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SolveMilpOptions {
  /** Seconds before HiGHS gives up (then a MilpError "limit"). Default: none. */
  timeLimitS?: number;
  /** Relative MIP gap at which HiGHS stops. Default HiGHS's (1e-4). */
  mipRelativeGap?: number;
}

// highs' types.d.ts sits in a CommonJS package, so TypeScript sees the loader
// at `.default`; Node's ESM entry (build/highs.mjs) exports it as the default
// itself. Take whichever is the function.
const loadHighs: typeof highsEntry.default =
  typeof highsEntry === "function" ? highsEntry : highsEntry.default;

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Promise<Highs> | undefined;

/** Solves `model` to optimality; throws MilpError otherwise and RangeError on a malformed model. */
export async function solveMilp(model: MilpModel, options: SolveMilpOptions = {}): Promise<MilpSolution> {
  const lp = toLpFormat(model);
  highs ??= loadHighs();
  const solver = await highs;
  const result = solver.solve(lp.text, {
    output_flag: false,
    ...(options.timeLimitS === undefined ? {} : { time_limit: options.timeLimitS }),
    ...(options.mipRelativeGap === undefined ? {} : { mip_rel_gap: options.mipRelativeGap }),
  });
  if (result.Status !== "Optimal") throw failure(result.Status);
  const values = new Map<string, number>();
  lp.columns.forEach((name, col) => {
    values.set(name, result.Columns[`c${col}`]?.Primal ?? 0);
  });
  return { objectiveValue: result.ObjectiveValue + (model.objectiveOffset ?? 0), values };
}

function failure(status: string): MilpError {
  switch (status) {
    case "Infeasible":
      return new MilpError("infeasible", status, "the MILP is infeasible: no assignment satisfies every constraint");
    case "Unbounded":
      return new MilpError("unbounded", status, "the MILP is unbounded: the objective improves without limit");
    case "Primal infeasible or unbounded":
      return new MilpError(
        "infeasible-or-unbounded",
        status,
        "the MILP is infeasible or unbounded (HiGHS's presolve could not tell which)",
      );
    case "Time limit reached":
    case "Iteration limit reached":
    case "Bound on objective reached":
    case "Target for objective reached":
      return new MilpError("limit", status, `HiGHS stopped before proving optimality: ${status}`);
    default:
      return new MilpError("error", status, `HiGHS failed: ${status}`);
  }
}
