import { PLUGIN_API_VERSION, type Plugin } from "@modelward/core";
import { describe, expect, it } from "vitest";
import pkg from "../package.json";
import plugin, { cyclonedxReporter } from "./index.js";

describe("@modelward/reporter-cyclonedx plugin", () => {
  it("has meta equal to its package.json and the cyclonedx namespace", () => {
    expect(plugin.apiVersion).toBe(PLUGIN_API_VERSION);
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: "cyclonedx" });
  });

  it("contributes exactly the cyclonedx reporter", () => {
    expect(plugin.reporters).toEqual({ cyclonedx: cyclonedxReporter });
    const asPlugin: Plugin = plugin;
    expect(asPlugin.analyzers).toBeUndefined();
    expect(asPlugin.sources).toBeUndefined();
  });
});
