import { describe, expect, it } from "vitest";
import { positiveIntegerParam, targetFromParams } from "./source-params.js";

describe("targetFromParams", () => {
  it("names each platform repository type as the URI its source opens", () => {
    expect(targetFromParams({ repo_type: "github", repo_url: "https://github.com/org/repo" })).toBe("git+https://github.com/org/repo");
    expect(targetFromParams({ repo_type: "github", repo_url: "org/repo" })).toBe("git+https://github.com/org/repo");
    expect(targetFromParams({ repo_type: "git", repo_url: "git+file:///srv/models.git" })).toBe("git+file:///srv/models.git");
    expect(targetFromParams({ repo_type: "git", repo_url: "file:///srv/models.git" })).toBe("git+file:///srv/models.git");
    expect(targetFromParams({ repo_type: "huggingface", model_id: "org/name" })).toBe("hf://org/name");
    expect(targetFromParams({ repo_type: "huggingface", model_id: "org/name", branch_name: "refs/pr/1" })).toBe("hf://org/name@refs/pr/1");
    expect(targetFromParams({ repo_type: "huggingface", model_id: "datasets/org/name" })).toBe("hf://datasets/org/name");
    expect(targetFromParams({ repo_type: "s3_bucket", bucket_name: "models/llama" })).toBe("s3://models/llama");
    expect(targetFromParams({ repo_type: "s3_bucket", bucket_name: "s3://models" })).toBe("s3://models");
    expect(targetFromParams({ repo_type: "file", repo_url: "./models" })).toBe("./models");
  });

  it("refuses a request missing what its type needs, or of an unknown type", () => {
    expect(() => targetFromParams({ repo_type: "huggingface" })).toThrow(/needs model_id/);
    expect(() => targetFromParams({ repo_type: "s3_bucket" })).toThrow(/needs bucket_name/);
    expect(() => targetFromParams({ repo_type: "git", repo_url: "  " })).toThrow(/needs repo_url/);
    expect(() => targetFromParams({ repo_type: "git", repo_url: "ext::sh -c evil" })).toThrow(/must be an https/);
    expect(() => targetFromParams({})).toThrow(/repo_type is required/);
    expect(() => targetFromParams({ repo_type: "svn" as never, repo_url: "x" })).toThrow(/unknown repo_type "svn"/);
  });
});

describe("positiveIntegerParam", () => {
  it("takes numbers and digit strings, falls back when absent, refuses the rest", () => {
    expect(positiveIntegerParam(undefined, "depth", 1)).toBe(1);
    expect(positiveIntegerParam("3", "depth", 1)).toBe(3);
    expect(positiveIntegerParam(5, "depth", 1)).toBe(5);
    expect(() => positiveIntegerParam(0, "depth", 1)).toThrow(/positive integer/);
    expect(() => positiveIntegerParam("all", "depth", 1)).toThrow(/positive integer/);
    expect(() => positiveIntegerParam(1.5, "depth", 1)).toThrow(/positive integer/);
  });
});
