/**
 * Keeps the index still while a snapshot is written in parts: the snapshot
 * closes the gate, yields to the event loop between parts (so match requests
 * are still answered, from the frozen index), and the writers (the event
 * consumer, instance drops) wait until it opens again.
 */
export class MutationGate {
  private closed: Promise<void> | undefined;
  private readonly deferred: (() => void)[] = [];

  get open(): boolean {
    return this.closed === undefined;
  }

  /**
   * Resolves once the gate opened again. It may have closed anew by the time
   * the caller runs: re-check `open` (`while (!gate.open) await gate.opened()`).
   */
  opened(): Promise<void> {
    return this.closed ?? Promise.resolve();
  }

  /** Runs `fn` now when open, else as soon as the gate opens, in call order. */
  whenOpen(fn: () => void): void {
    if (this.open) fn();
    else this.deferred.push(fn);
  }

  /** Closes the gate while `fn` runs; waits for another closer to finish first. */
  async closeDuring<T>(fn: () => Promise<T>): Promise<T> {
    while (!this.open) await this.opened();
    let release!: () => void;
    this.closed = new Promise((resolve) => {
      release = resolve;
    });
    try {
      return await fn();
    } finally {
      this.closed = undefined;
      // Deferred writes run before anyone awaiting opened() resumes, in order.
      for (const deferred of this.deferred.splice(0)) deferred();
      release();
    }
  }
}
