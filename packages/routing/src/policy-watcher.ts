import type { RoutingArtifact } from "./artifact.js";
import { watchArtifact } from "./artifact-watcher.js";

export interface PolicyWatcherHooks<T> {
  /** A changed artifact was loaded and the policy rebuilt from it. */
  readonly onReload: (artifact: RoutingArtifact, policy: T) => void;
  /** A changed artifact was unusable (invalid file, or the policy refused it): the previous policy keeps serving. */
  readonly onRejected: (err: Error) => void;
  readonly debounceMs?: number;
}

export interface PolicyWatcher<T> {
  /** The policy in service. */
  current(): T;
  /** The artifact it was built from. */
  artifact(): RoutingArtifact;
  close(): void;
}

/**
 * A policy (router, judge) built from the artifact in `dir` and rebuilt when
 * the file changes. One mechanism for every artifact-backed service: a new
 * artifact replaces the old only if it loads AND the policy accepts it;
 * otherwise the old one keeps serving. Throws at start if the first one is
 * unusable — a service must not start on it.
 */
export function watchPolicy<T>(dir: string, build: (artifact: RoutingArtifact) => T, hooks: PolicyWatcherHooks<T>): PolicyWatcher<T> {
  let built: { artifact: RoutingArtifact; policy: T } | undefined;
  const watcher = watchArtifact(dir, {
    ...(hooks.debounceMs === undefined ? {} : { debounceMs: hooks.debounceMs }),
    onReload: (artifact) => {
      let policy: T;
      try {
        policy = build(artifact);
      } catch (err) {
        hooks.onRejected(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      built = { artifact, policy };
      hooks.onReload(artifact, policy);
    },
    onInvalid: hooks.onRejected,
  });
  try {
    const artifact = watcher.current();
    built = { artifact, policy: build(artifact) };
  } catch (err) {
    watcher.close();
    throw err;
  }
  const inService = built;
  return {
    current: () => (built ?? inService).policy,
    artifact: () => (built ?? inService).artifact,
    close: () => watcher.close(),
  };
}
