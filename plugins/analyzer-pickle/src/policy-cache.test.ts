import defaultRuleset from "@modelward/ruleset-default";
import { recordingContext } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { policyFor } from "./report-run.js";

const pickleData = () => defaultRuleset.policies!["pickle"]!;

describe("pickle policy compilation", () => {
  it("compiles once for the same policy data, even when each file gets a fresh array", () => {
    const first = policyFor(recordingContext({ policies: { pickle: [pickleData()] } }).ctx);
    const second = policyFor(recordingContext({ policies: { pickle: [pickleData()] } }).ctx);
    expect(second).toBe(first);
  });

  it("compiles again when the data differs, and still judges by it", () => {
    const extra = { allow: [{ path: "acme.models.Net", reason: "ours" }] };
    const base = policyFor(recordingContext({ policies: { pickle: [pickleData()] } }).ctx);
    const withExtra = policyFor(recordingContext({ policies: { pickle: [pickleData(), extra] } }).ctx);
    expect(withExtra).not.toBe(base);
    expect(base.evaluate("acme.models", "Net").verdict).toBe("unknown");
    expect(withExtra.evaluate("acme.models", "Net").verdict).toBe("safe");
  });

  it("still reports a missing policy on every file that lacks one", () => {
    const a = recordingContext({});
    const b = recordingContext({});
    expect(policyFor(b.ctx)).toBe(policyFor(a.ctx));
    expect(a.recording.incomplete.some((r) => r.includes("no pickle policy loaded"))).toBe(true);
    expect(b.recording.incomplete.some((r) => r.includes("no pickle policy loaded"))).toBe(true);
  });
});
