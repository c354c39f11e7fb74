import cliProgress from "cli-progress";
import type { TrainProgress } from "./train.js";

/**
 * A progress bar on stderr for a long `weir` command (`weir train`, `weir
 * bench`), or nothing when stderr is not a terminal or the output is JSON
 * (bars in logs and pipes are noise).
 */
export function progressBar(enabled: boolean, label = "training"): { update(p: TrainProgress): void; stop(): void } {
  if (!enabled || process.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} {stage}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(p.total, p.done, { stage: p.stage });
        started = true;
      }
      bar.setTotal(p.total);
      bar.update(p.done, { stage: p.stage });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
