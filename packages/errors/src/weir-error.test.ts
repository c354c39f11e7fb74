import { describe, expect, it } from "vitest";
import {
  ErrorCode,
  WeirError,
  codeFromGrpcStatus,
  codeFromHttpStatus,
  decodeErrorInfo,
  encodeErrorInfo,
  grpcStatusOf,
  httpStatusOf,
  toWeirError,
} from "./index.js";

describe("WeirError", () => {
  it("round-trips through ErrorInfo bytes with every field", () => {
    const err = new WeirError(ErrorCode.RESOURCE_EXHAUSTED, "queue full; retry later", {
      field: "model",
      service: "scheduler",
      retryAfterMs: 250,
    });
    const back = decodeErrorInfo(encodeErrorInfo(err));
    expect(back).toBeInstanceOf(WeirError);
    expect(back?.code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
    expect(back?.message).toBe("queue full; retry later");
    expect(back?.field).toBe("model");
    expect(back?.service).toBe("scheduler");
    expect(back?.retryAfterMs).toBe(250);
  });

  it("returns undefined for bytes that are not an ErrorInfo", () => {
    expect(decodeErrorInfo(new Uint8Array([0xff, 0xff, 0xff]))).toBeUndefined();
    expect(decodeErrorInfo(new Uint8Array())).toBeUndefined();
  });

  it("maps codes to HTTP and gRPC and back", () => {
    expect(httpStatusOf(ErrorCode.INVALID_ARGUMENT)).toBe(400);
    expect(httpStatusOf(ErrorCode.PAYLOAD_TOO_LARGE)).toBe(413);
    expect(httpStatusOf(ErrorCode.UNAVAILABLE)).toBe(503);
    expect(grpcStatusOf(ErrorCode.NOT_FOUND)).toBe(5);
    for (const code of [
      ErrorCode.INVALID_ARGUMENT,
      ErrorCode.NOT_FOUND,
      ErrorCode.UNAVAILABLE,
      ErrorCode.DEADLINE_EXCEEDED,
      ErrorCode.RESOURCE_EXHAUSTED,
      ErrorCode.INTERNAL,
    ]) {
      expect(codeFromGrpcStatus(grpcStatusOf(code))).toBe(code);
      expect(codeFromHttpStatus(httpStatusOf(code))).toBe(code);
    }
  });

  it("wraps unknown throws as INTERNAL keeping the message", () => {
    const err = toWeirError(new TypeError("boom"), "router");
    expect(err.code).toBe(ErrorCode.INTERNAL);
    expect(err.message).toContain("boom");
    expect(err.service).toBe("router");
    const same = WeirError.notFound("no such model", "model");
    expect(toWeirError(same)).toBe(same);
  });
});
