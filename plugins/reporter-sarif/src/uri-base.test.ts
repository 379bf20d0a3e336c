import { sampleReport } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { twoTargetReport } from "./fixtures.test-support.js";
import { artifactLocation, encodePath, originalUriBaseIds, targetBases } from "./uri-base.js";

describe("uri bases", () => {
  it("percent-encodes each path segment but keeps the slashes", () => {
    expect(encodePath("checkpoints/resnet 50.pt")).toBe("checkpoints/resnet%2050.pt");
    expect(encodePath("a#b/100%/c:d?.pkl")).toBe("a%23b/100%25/c%3Ad%3F.pkl");
  });

  it("uses %SRCROOT% for a single target, with a trailing slash", () => {
    const bases = targetBases(sampleReport());
    expect([...bases.values()].map((b) => [b.id, b.uri])).toEqual([["%SRCROOT%", "file:///home/ci/project/models/"]]);
  });

  it("numbers several targets TARGET1..n in report order and records their revision", () => {
    const report = twoTargetReport();
    const bases = targetBases(report);
    expect([...bases.values()].map((b) => [b.id, b.uri])).toEqual([
      ["TARGET1", "file:///home/ci/project/models/"],
      ["TARGET2", "hf://acme/resnet@0123456789abcdef0123456789abcdef01234567/"],
    ]);
    expect(originalUriBaseIds(bases).TARGET2).toMatchObject({
      properties: { source: "hf", revision: "0123456789abcdef0123456789abcdef01234567" },
    });
    expect(artifactLocation(bases, report.targets[1]!.uri, "classifier.pkl")).toEqual({ uri: "classifier.pkl", uriBaseId: "TARGET2" });
  });

  it("resolves a single-file target against its parent folder", () => {
    const report = sampleReport();
    report.targets = [{ uri: "file:///home/ci/project/classifier.pkl", input: "classifier.pkl", source: "file" }];
    report.files = report.files.filter((f) => f.path === "classifier.pkl");
    for (const f of report.files) {
      f.target = report.targets[0]!.uri;
      for (const x of f.findings) x.location.target = f.target;
    }
    expect([...targetBases(report).values()][0]!.uri).toBe("file:///home/ci/project/");
  });

  it("gives a target that only files mention a base of its own", () => {
    const report = sampleReport();
    report.files[0]!.target = "s3://bucket/prefix";
    const bases = targetBases(report);
    expect(bases.get("s3://bucket/prefix")).toMatchObject({ id: "TARGET2", uri: "s3://bucket/prefix/" });
    expect(bases.get(report.targets[0]!.uri)!.id).toBe("TARGET1");
  });

  it("shares the source root among targets inside it, and keeps other targets apart", () => {
    const report = twoTargetReport();
    const bases = targetBases(report, "/home/ci/project");
    expect(bases.get(report.targets[0]!.uri)).toMatchObject({ id: "%SRCROOT%", uri: "file:///home/ci/project/", prefix: "models/" });
    expect(bases.get(report.targets[1]!.uri)).toMatchObject({ id: "TARGET2", prefix: "" });
    expect(artifactLocation(bases, report.targets[0]!.uri, "a b.pkl")).toEqual({ uri: "models/a%20b.pkl", uriBaseId: "%SRCROOT%" });
    expect(Object.keys(originalUriBaseIds(bases)).sort()).toEqual(["%SRCROOT%", "TARGET2"]);
  });

  it("keeps a target outside the source root on its own base", () => {
    const bases = targetBases(sampleReport(), "/somewhere/else");
    expect([...bases.values()].map((b) => [b.id, b.uri, b.prefix])).toEqual([["%SRCROOT%", "file:///home/ci/project/models/", ""]]);
  });
});
