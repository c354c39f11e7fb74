import { describe, expect, it } from "vitest";
import { type Holders, forEachHolder, holds, withHolder, withoutHolder } from "./holders.js";

const list = (h: Holders | undefined) => {
  const ids: string[] = [];
  if (h !== undefined) forEachHolder(h, (id) => ids.push(id));
  return ids.sort();
};

describe("holders", () => {
  it("stores a lone holder as a string and grows to a set", () => {
    let h = withHolder(undefined, "a");
    expect(h).toBe("a");
    expect(withHolder(h, "a")).toBe("a");
    h = withHolder(h, "b");
    expect(h).toBeInstanceOf(Set);
    expect(list(h)).toEqual(["a", "b"]);
    expect(holds(h, "b") && !holds(h, "c")).toBe(true);
  });

  it("shrinks back to a string, then to nothing", () => {
    let h: Holders | undefined = withHolder(withHolder(withHolder(undefined, "a"), "b"), "c");
    h = withoutHolder(h, "b");
    expect(list(h)).toEqual(["a", "c"]);
    h = withoutHolder(h as Holders, "a");
    expect(h).toBe("c");
    expect(withoutHolder("c", "x")).toBe("c");
    expect(withoutHolder("c", "c")).toBeUndefined();
  });
});
