import { sampleReport } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { artifactRef, BomRefAllocator, componentRef, serialNumberOf } from "./bom-refs.js";

describe("bom refs", () => {
  it("allocates numbered refs for repeats, in order", () => {
    const refs = new BomRefAllocator();
    expect([refs.allocate("a"), refs.allocate("a"), refs.allocate("b"), refs.allocate("a")]).toEqual(["a", "a#2", "b", "a#3"]);
  });

  it("names an artifact by path and member chain, without the machine-specific target URI", () => {
    const report = sampleReport();
    const ref = artifactRef({ target: report.targets[0]!.uri, path: "m.pt", members: ["inner.zip", "data.pkl"] }, report);
    expect(ref).toBe("artifact:m.pt!/inner.zip!/data.pkl");
  });

  it("names a package by purl, else by type, name and version", () => {
    expect(componentRef({ type: "library", name: "torch", version: "2.1.0", purl: "pkg:pypi/torch@2.1.0" })).toBe("pkg:pypi/torch@2.1.0");
    expect(componentRef({ type: "library", name: "numpy" })).toBe("library:numpy");
    expect(componentRef({ type: "framework", name: "keras", version: "3.1" })).toBe("framework:keras@3.1");
  });

  it("derives a version-5-shaped UUID from the report content", () => {
    const a = sampleReport();
    const b = sampleReport();
    expect(serialNumberOf(a)).toBe(serialNumberOf(b));
    b.files[0]!.size += 1;
    expect(serialNumberOf(b)).not.toBe(serialNumberOf(a));
    expect(serialNumberOf(a)).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
