import { describe, expect, it } from "vitest";
import { matchPattern } from "./router.js";

describe("matchPattern", () => {
  it("matches segments and the rest, decoding each segment once", () => {
    expect(matchPattern("/v1/models/:modelId", "/v1/models/mdl_1")).toEqual({ modelId: "mdl_1" });
    expect(matchPattern("/v1/models/:modelId", "/v1/models/mdl_1/x")).toBeUndefined();
    expect(matchPattern("/v1/models/:modelId", "/v1/models/")).toBeUndefined();
    expect(matchPattern("/v1/models/:id/files/*path", "/v1/models/m/files/a%2Fb/c%20d.pkl")).toEqual({ id: "m", path: "a/b/c d.pkl" });
    expect(matchPattern("/v1/models/:id/files/*path", "/v1/models/m/files")).toBeUndefined();
    expect(matchPattern("/v1/models/:id", "/v1/models/%E0%A4%A")).toBeUndefined();
  });
});
