import { RouterService } from "@weir/proto";
import { describe, expect, it } from "vitest";
import { methodSubject } from "./method-subject.js";
import { ServicePrefix, Subjects } from "./subjects.js";

describe("subjects", () => {
  it("builds event subjects from tier and instance id", () => {
    expect(Subjects.kvEvents("large", "w-2")).toBe("weir.kv.events.large.w-2");
  });

  it("refuses tokens that would change subscriber matching", () => {
    for (const bad of ["", "a.b", "*", ">", "a b"]) {
      expect(() => Subjects.kvEvents(bad, "w-1")).toThrow(/cannot be a NATS subject token/);
    }
  });

  it("derives a method's subject from the prefix and lowerFirst(method name)", () => {
    expect(methodSubject(ServicePrefix.router, RouterService.method.plan)).toBe(Subjects.routerPlan);
  });
});
