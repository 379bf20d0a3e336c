import { describe, expect, it } from "vitest";
import { describeConfig } from "./describe.js";

function described(doc: unknown) {
  const calls: unknown[] = [];
  describeConfig(doc, { describe: (d) => void calls.push(d) });
  return calls;
}

describe("describeConfig (inventory facts for the ML-BOM)", () => {
  it("reads architecture and model type from config.json", () => {
    expect(described({ architectures: ["BertModel"], model_type: "bert" })).toEqual([{ framework: "transformers", properties: { architecture: "BertModel", modelType: "bert" } }]);
  });

  it("reads the task, library and datasets of a model card's front matter, one string or a list, and drops unusable entries", () => {
    expect(described({ pipeline_tag: "text-classification", library_name: "transformers", datasets: ["imdb", "glue", 3, "a,b"] })).toEqual([
      { properties: { task: "text-classification", libraryName: "transformers", datasets: "imdb,glue" } },
    ]);
    expect(described({ datasets: "squad" })).toEqual([{ properties: { datasets: "squad" } }]);
    expect(described({ license: "mit" })).toEqual([{ properties: { license: "mit" } }]);
    expect(described("not an object")).toEqual([]);
  });
});
