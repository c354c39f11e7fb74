import type { EvalReport } from "./evaluate.js";
import type { TrainReport } from "./train.js";

/** A plain-text table with aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The quality–cost table `weir train` prints: every method on the held-out split. */
export function formatMethods(report: TrainReport): string {
  const strongest = report.tiers.at(-1)?.name ?? "strongest";
  return table(
    ["method (held-out split)", "accuracy", `vs ${strongest}`, "cost vs " + strongest, `never reach ${strongest}`, "operating point"],
    report.methods.map((m) => [m.method, pct(m.accuracy), pct(m.relativeAccuracy), pct(m.costRelative), pct(m.neverStrongest), m.settings]),
  );
}

/** The per-k validation table: how k was chosen. */
export function formatKSelection(report: TrainReport): string {
  return table(
    ["k", "inertia", "val. accuracy", "val. vs strongest", "val. cost", "meets target", "QE l2"],
    report.kSelection.map((k) => [String(k.k), k.inertia.toFixed(1), pct(k.accuracy), pct(k.relativeAccuracy), pct(k.costRelative), k.met ? "yes" : "no", String(k.qeL2)]),
  );
}

/** What `weir eval` prints. */
export function formatEval(r: EvalReport): string {
  const strongest = r.tiers.at(-1) ?? "strongest";
  const rows: string[][] = [["all", r]].map(([name, x]) => row(name as string, x as EvalReport));
  for (const [name, x] of Object.entries(r.bySource ?? {})) rows.push(row(name, x));
  const t = table(
    ["rows", "n", "accuracy", `vs ${strongest}`, ...r.tiers.map((t) => `reach ${t}`), `cost vs ${strongest}`, "QE AUC", "QE ECE"],
    rows,
  );
  const th = (x: Record<string, number>): string => Object.entries(x).map(([k, v]) => `${k} ${v}`).join(", ");
  const noText = r.thresholdsWithoutText === undefined ? "" : `; without answer text: ${th(r.thresholdsWithoutText)}`;
  return `${t}\nβ = ${r.beta}; thresholds ${th(r.thresholds)}${noText}`;

  function row(name: string, x: Omit<EvalReport, "bySource" | "tiers" | "beta" | "thresholds" | "thresholdsWithoutText">): string[] {
    return [
      name,
      String(x.rows),
      pct(x.accuracy),
      pct(x.relativeAccuracy),
      ...r.tiers.map((t) => pct(x.reached[t] ?? 0)),
      pct(x.costRelative),
      x.qe.auc === null ? "n/a" : x.qe.auc.toFixed(3),
      x.qe.ece.toFixed(3),
    ];
  }
}
