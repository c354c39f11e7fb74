// The bench's progress bar: the same cli-progress bar as `weir train`, on
// stderr, only when stderr is a terminal and the output is not JSON.

import { progressBar } from "@weir/trainer";

export interface BenchProgress {
  update(stage: string, done: number, total: number): void;
  stop(): void;
}

export function benchProgress(enabled: boolean): BenchProgress {
  const bar = progressBar(enabled, "bench");
  return {
    update: (stage, done, total) => bar.update({ stage, done, total }),
    stop: () => bar.stop(),
  };
}
