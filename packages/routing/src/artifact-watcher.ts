import { watch, type FSWatcher } from "node:fs";
import { ARTIFACT_FILE, type RoutingArtifact } from "./artifact.js";
import { loadArtifact } from "./artifact-io.js";

export interface ArtifactWatcherOptions {
  /** A new, valid artifact was loaded (not called for the initial one). */
  readonly onReload: (artifact: RoutingArtifact) => void;
  /** A changed file could not be used; the previous artifact stays in service. */
  readonly onInvalid: (err: Error) => void;
  /** Quiet time after the last change before reading (default 100 ms): writers are not atomic. */
  readonly debounceMs?: number;
}

export interface ArtifactWatcher {
  /** The artifact in service. */
  current(): RoutingArtifact;
  close(): void;
}

/**
 * Loads `<dir>/routing.json` now (throwing if it is unusable: a service must
 * not start on it) and reloads it whenever the directory changes. A new file
 * that fails validation is reported and ignored: the old artifact keeps serving.
 */
export function watchArtifact(dir: string, opts: ArtifactWatcherOptions): ArtifactWatcher {
  let current = loadArtifact(dir);
  let timer: NodeJS.Timeout | undefined;
  const reload = (): void => {
    timer = undefined;
    let next: RoutingArtifact;
    try {
      next = loadArtifact(dir);
    } catch (err) {
      opts.onInvalid(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    // Editors and fs.watch fire several events per save: only a different artifact counts.
    if (next.createdAt === current.createdAt && next.dataHash === current.dataHash && JSON.stringify(next) === JSON.stringify(current)) return;
    current = next;
    opts.onReload(next);
  };
  const watcher: FSWatcher = watch(dir, { persistent: false }, (_event, file) => {
    if (file !== null && file !== ARTIFACT_FILE) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(reload, opts.debounceMs ?? 100);
  });
  watcher.on("error", (err) => opts.onInvalid(err));
  return {
    current: () => current,
    close() {
      if (timer !== undefined) clearTimeout(timer);
      watcher.close();
    },
  };
}
