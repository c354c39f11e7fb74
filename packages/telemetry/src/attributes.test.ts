import { readFileSync } from "node:fs";
import * as semconv from "@opentelemetry/semantic-conventions/incubating";
import { describe, expect, it } from "vitest";
import { attributeDocs, attributeTable } from "./attribute-table.js";
import { Attr, type AttrKey } from "./attributes.js";
import { SpanNames } from "./span-names.js";

describe("Attr", () => {
  it("uses the OpenTelemetry semantic-convention names where they exist", () => {
    expect(Attr.operation).toBe(semconv.ATTR_GEN_AI_OPERATION_NAME);
    expect(Attr.provider).toBe(semconv.ATTR_GEN_AI_PROVIDER_NAME);
    expect(Attr.requestModel).toBe(semconv.ATTR_GEN_AI_REQUEST_MODEL);
    expect(Attr.responseModel).toBe(semconv.ATTR_GEN_AI_RESPONSE_MODEL);
    expect(Attr.maxTokens).toBe(semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS);
    expect(Attr.temperature).toBe(semconv.ATTR_GEN_AI_REQUEST_TEMPERATURE);
    expect(Attr.finishReasons).toBe(semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS);
    expect(Attr.inputTokens).toBe(semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS);
    expect(Attr.outputTokens).toBe(semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS);
    expect(Attr.responseId).toBe(semconv.ATTR_GEN_AI_RESPONSE_ID);
    expect(Attr.messagingSystem).toBe(semconv.ATTR_MESSAGING_SYSTEM);
    expect(Attr.messagingDestinationName).toBe(semconv.ATTR_MESSAGING_DESTINATION_NAME);
    expect(Attr.rpcSystem).toBe(semconv.ATTR_RPC_SYSTEM);
    expect(Attr.rpcService).toBe(semconv.ATTR_RPC_SERVICE);
    expect(Attr.rpcMethod).toBe(semconv.ATTR_RPC_METHOD);
    expect(Attr.httpMethod).toBe(semconv.ATTR_HTTP_REQUEST_METHOD);
    expect(Attr.httpRoute).toBe(semconv.ATTR_HTTP_ROUTE);
    expect(Attr.httpStatus).toBe(semconv.ATTR_HTTP_RESPONSE_STATUS_CODE);
    expect(Attr.errorType).toBe(semconv.ATTR_ERROR_TYPE);
  });

  it("names everything else weir.* and never declares a name twice", () => {
    const names = Object.values(Attr);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^(gen_ai|weir|messaging|rpc|http|error)\.[a-z_.]+$/);
  });

  it("documents every attribute with the same sentence in TSDoc and in the table", () => {
    // The TSDoc above each key in attributes.ts is what editors show; the
    // table is what the docs show. They must say the same thing.
    const source = readFileSync(new URL("./attributes.ts", import.meta.url), "utf8");
    const tsdoc = new Map<string, string>();
    for (const m of source.matchAll(/\/\*\* (.+?) \*\/\n\s+(\w+): "/g)) tsdoc.set(m[2] ?? "", m[1] ?? "");
    const docs = attributeDocs();
    for (const key of Object.keys(Attr) as AttrKey[]) expect(tsdoc.get(key), key).toBe(docs[key].brief);
  });
});

describe("attributeTable", () => {
  it("renders one markdown row per attribute", () => {
    const table = attributeTable().split("\n");
    expect(table).toHaveLength(2 + Object.keys(Attr).length);
    expect(table[0]).toBe("| Attribute | Type | Convention | Constant | Meaning |");
    expect(table).toContain(
      "| `weir.qe.score` | double | Weir | `Attr.qeScore` | Quality estimate of a step's answer: the probability in [0, 1] that it is acceptable. |",
    );
    expect(table.find((row) => row.startsWith("| `gen_ai.request.model`"))).toContain("OTel GenAI");
  });
});

describe("SpanNames", () => {
  it("builds names from the conventions", () => {
    expect(SpanNames.http("POST", "/v1/chat/completions")).toBe("POST /v1/chat/completions");
    expect(SpanNames.rpc("weir.v1.InferenceService", "Generate")).toBe("weir.v1.InferenceService/Generate");
    expect(SpanNames.genAi("chat", "m")).toBe("chat m");
    expect(SpanNames.cascadeStep).toBe("weir.cascade.step");
  });
});
