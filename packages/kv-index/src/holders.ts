/**
 * The holder lists of shared blocks. A tier's BlockTable maps a block to an
 * int32: a holder's slot (≥ 0) when one instance holds it — almost always —
 * or ~ref, a reference to a list here, when several do. Lists are reused
 * through a free list, so churn does not grow the array.
 */
export class SharedHolders {
  private readonly lists: (number[] | undefined)[] = [];
  private readonly free: number[] = [];

  /** A new list; returns the value to store for it (~ref, negative). */
  add(slots: number[]): number {
    const ref = this.free.pop() ?? this.lists.length;
    this.lists[ref] = slots;
    return ~ref;
  }

  /** The list a stored value (negative) refers to. */
  get(value: number): number[] {
    return this.lists[~value] as number[];
  }

  release(value: number): void {
    this.lists[~value] = undefined;
    this.free.push(~value);
  }
}
