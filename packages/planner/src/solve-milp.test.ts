import { describe, expect, it } from "vitest";
import { toLpFormat } from "./lp-format.js";
import { type MilpModel, term } from "./milp-model.js";
import { MilpError, solveMilp } from "./solve-milp.js";

describe("solveMilp", () => {
  it("solves a 0/1 knapsack to its known optimum", async () => {
    // Items (value, weight), capacity 10: the best pick is b + c + d (value 23, weight 10);
    // the greedy-by-ratio pick a + b + c is worse (value 22).
    const items = [
      { name: "a", value: 10, weight: 5 },
      { name: "b", value: 7, weight: 3 },
      { name: "c", value: 5, weight: 2 },
      { name: "d", value: 11, weight: 5 },
    ];
    const model: MilpModel = {
      sense: "maximize",
      objective: items.map((i) => term(i.name, i.value)),
      variables: items.map((i) => ({ name: i.name, kind: "binary" })),
      constraints: [{ name: "capacity", terms: items.map((i) => term(i.name, i.weight)), upper: 10 }],
    };
    const s = await solveMilp(model);
    expect(s.objectiveValue).toBeCloseTo(23, 6);
    expect(items.map((i) => Math.round(s.values.get(i.name)!))).toEqual([0, 1, 1, 1]);
  });

  it("respects integrality: the LP optimum is fractional, the MILP's is not", async () => {
    const base = {
      sense: "maximize" as const,
      objective: [term("x", 1)],
      constraints: [{ name: "c", terms: [term("x", 2)], upper: 7 }],
    };
    const lp = await solveMilp({ ...base, variables: [{ name: "x", kind: "continuous" }] });
    const ip = await solveMilp({ ...base, variables: [{ name: "x", kind: "integer" }] });
    expect(lp.values.get("x")).toBeCloseTo(3.5, 6);
    expect(ip.values.get("x")).toBeCloseTo(3, 6);
  });

  it("handles equalities, two-sided rows, free variables, negative coefficients and an offset", async () => {
    // min y − x + 100 s.t. x + y = 4, −1 ≤ x − y ≤ 1, y free, x ∈ [0, 10] → x = 2.5, y = 1.5.
    const s = await solveMilp({
      sense: "minimize",
      objective: [term("y (free)"), term("x", -1)],
      objectiveOffset: 100,
      variables: [
        { name: "x", kind: "continuous", upper: 10 },
        { name: "y (free)", kind: "continuous", lower: Number.NEGATIVE_INFINITY },
      ],
      constraints: [
        { name: "sum", terms: [term("x"), term("y (free)")], lower: 4, upper: 4 },
        { name: "gap", terms: [term("x"), term("y (free)", -1)], lower: -1, upper: 1 },
      ],
    });
    expect(s.values.get("x")).toBeCloseTo(2.5, 6);
    expect(s.values.get("y (free)")).toBeCloseTo(1.5, 6);
    expect(s.objectiveValue).toBeCloseTo(99, 6);
  });

  it("reports an infeasible model as a MilpError 'infeasible'", async () => {
    const error = await solveMilp({
      sense: "minimize",
      objective: [term("x")],
      variables: [{ name: "x", kind: "integer", upper: 3 }],
      constraints: [{ name: "too-big", terms: [term("x")], lower: 5 }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MilpError);
    expect((error as MilpError).failure).toBe("infeasible");
  });

  it("reports an unbounded LP as a MilpError 'unbounded'", async () => {
    const error = await solveMilp({
      sense: "maximize",
      objective: [term("x")],
      variables: [{ name: "x", kind: "continuous" }],
      constraints: [{ name: "floor", terms: [term("x")], lower: 1 }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MilpError);
    expect(["unbounded", "infeasible-or-unbounded"]).toContain((error as MilpError).failure);
  });

  it("refuses a model that names an undeclared variable, before calling HiGHS", () => {
    expect(() =>
      toLpFormat({
        sense: "minimize",
        objective: [term("ghost")],
        variables: [{ name: "x", kind: "continuous" }],
        constraints: [],
      }),
    ).toThrow(/undeclared variable "ghost"/);
  });
});
