import type { LabelledDataset } from "@weir/datasets";
import { seededRandom } from "@weir/routing";

/**
 * A labelled data set with two kinds of question: arithmetic word problems
 * that the small model gets right when its worked answer checks out, and
 * trivia the small model mostly gets wrong. The large model is right 90% of
 * the time. Clusters and the QE both have something to find.
 */
export function syntheticDataset(n = 240, seed = 1): LabelledDataset {
  const rand = seededRandom(seed);
  const rows: LabelledDataset["rows"] = [];
  for (let i = 0; i < n; i++) {
    const math = i % 2 === 0;
    const a = 2 + Math.floor(rand() * 20);
    const b = 2 + Math.floor(rand() * 20);
    const smallRight = math ? rand() < 0.75 : rand() < 0.3;
    const largeRight = rand() < 0.9;
    const prompt = math
      ? `Sam has ${a} bags with ${b} marbles in each bag. How many marbles does Sam have in total? (case ${i})`
      : `Which of the following river systems drains region ${i}?\nA. Nile\nB. Amazon\nC. Danube\nD. Volga\nAnswer:`;
    const shown = smallRight ? a * b : a * b + 1 + Math.floor(rand() * 5);
    rows.push({
      id: `row-${i}`,
      prompt,
      correct: { small: smallRight, large: largeRight },
      response: {
        small: math ? `He has ${a} x ${b} = ${shown} marbles.\n#### ${shown}` : smallRight ? "A" : "C",
        large: math ? `${a} * ${b} = ${a * b}\n#### ${a * b}` : "A",
      },
      source: math ? "math" : "trivia",
    });
  }
  return { name: "synthetic", models: ["small", "large"], rows };
}

export const SYNTHETIC_TIERS = [
  { name: "small", model: "small", inputPerMTok: 1, outputPerMTok: 1, priceSource: "test" },
  { name: "large", model: "large", inputPerMTok: 20, outputPerMTok: 20, priceSource: "test" },
];
