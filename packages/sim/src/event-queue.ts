// The heart of virtual time: a priority queue of timed events. Time jumps
// from one event to the next; nothing waits on a timer. Events at the same
// time come out in the order they went in, so a run is deterministic.

export class EventQueue<T> {
  #times: number[] = [];
  #orders: number[] = [];
  #items: T[] = [];
  #inserted = 0;
  #now = 0;

  /** The time of the event last taken out (the clock of the simulation). */
  get now(): number {
    return this.#now;
  }

  get size(): number {
    return this.#items.length;
  }

  /** Schedules `item` at time `at` (≥ now). */
  push(at: number, item: T): void {
    if (!(at >= this.#now)) throw new RangeError(`cannot schedule an event in the past (${at} < now ${this.#now})`);
    const times = this.#times;
    const orders = this.#orders;
    const items = this.#items;
    const order = this.#inserted++;
    let i = items.length;
    times.push(at);
    orders.push(order);
    items.push(item);
    // Sift up.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < at || (pt === at && orders[p]! < order)) break;
      times[i] = pt;
      orders[i] = orders[p]!;
      items[i] = items[p]!;
      i = p;
    }
    times[i] = at;
    orders[i] = order;
    items[i] = item;
  }

  /** Time of the next event, or undefined when there is none. */
  peekTime(): number | undefined {
    return this.#times[0];
  }

  /** Takes the earliest event out and advances the clock to its time. */
  pop(): T | undefined {
    const items = this.#items;
    if (items.length === 0) return undefined;
    const times = this.#times;
    const orders = this.#orders;
    const top = items[0]!;
    this.#now = times[0]!;
    const lastItem = items.pop()!;
    const lastTime = times.pop()!;
    const lastOrder = orders.pop()!;
    const n = items.length;
    if (n > 0) {
      // Sift the last element down from the root.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (times[r]! < times[l]! || (times[r] === times[l] && orders[r]! < orders[l]!))) c = r;
        const ct = times[c]!;
        if (lastTime < ct || (lastTime === ct && lastOrder < orders[c]!)) break;
        times[i] = ct;
        orders[i] = orders[c]!;
        items[i] = items[c]!;
        i = c;
      }
      times[i] = lastTime;
      orders[i] = lastOrder;
      items[i] = lastItem;
    }
    return top;
  }
}
