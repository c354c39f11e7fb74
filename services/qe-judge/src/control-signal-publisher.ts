import { type Bus, Subjects, publishProto } from "@weir/bus";
import { ControlSignalSchema } from "@weir/proto";
import type { SignalKind } from "@weir/routing";
import { Histogram, type Registry } from "prom-client";

export interface ControlSignal {
  readonly kind: SignalKind;
  readonly value: number;
  readonly requestId?: string;
  readonly tier?: string;
  readonly cluster?: number | undefined;
  readonly detail: string;
}

/**
 * L5: publishes a control signal on weir.signals.<kind> (ControlSignal,
 * signals.proto) and observes it in the histogram weir_control_signal{kind}.
 * Fire and forget: a signal never delays or fails the decision it came from.
 */
export class ControlSignalPublisher {
  readonly #bus: Bus;
  readonly #publish: boolean;
  readonly #values: Histogram<"kind">;

  constructor(bus: Bus, registry: Registry, publish: boolean) {
    this.#bus = bus;
    this.#publish = publish;
    this.#values = new Histogram({
      name: "weir_control_signal",
      help: "L5 control signals (risk, novelty, drift, confidence), by kind.",
      labelNames: ["kind"],
      buckets: [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1, 2],
      registers: [registry],
    });
  }

  emit(s: ControlSignal): void {
    this.#values.observe({ kind: s.kind }, s.value);
    if (!this.#publish || !this.#bus.isConnected()) return;
    try {
      publishProto(this.#bus, Subjects.signals(s.kind), ControlSignalSchema, {
        kind: s.kind,
        value: s.value,
        requestId: s.requestId ?? "",
        tier: s.tier ?? "",
        ...(s.cluster === undefined ? {} : { cluster: s.cluster }),
        detail: s.detail,
        observedAtMs: BigInt(Date.now()),
      });
    } catch {
      // A closed connection: the service is stopping; the metric still counted it.
    }
  }
}
