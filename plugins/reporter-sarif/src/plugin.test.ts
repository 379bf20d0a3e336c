import { PLUGIN_API_VERSION, type Plugin } from "@modelward/core";
import { describe, expect, it } from "vitest";
import pkg from "../package.json";
import plugin, { sarifReporter } from "./index.js";

describe("@modelward/reporter-sarif plugin", () => {
  it("has meta equal to its package.json and the sarif namespace", () => {
    expect(plugin.apiVersion).toBe(PLUGIN_API_VERSION);
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: "sarif" });
  });

  it("contributes exactly the sarif reporter", () => {
    expect(plugin.reporters).toEqual({ sarif: sarifReporter });
    const asPlugin: Plugin = plugin;
    expect(asPlugin.analyzers).toBeUndefined();
    expect(asPlugin.sources).toBeUndefined();
  });
});
