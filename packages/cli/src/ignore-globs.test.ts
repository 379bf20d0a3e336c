import { describe, expect, it } from "vitest";
import { cwdRelativeIgnores } from "./ignore-globs.js";

describe("--ignore relative to the working directory", () => {
  it("strips the target's folder from globs written from the working directory", () => {
    expect(cwdRelativeIgnores(["models/legacy/**"], ["models"], "/repo")).toEqual(["models/legacy/**", "legacy/**"]);
    expect(cwdRelativeIgnores(["./data/x/*.pkl"], ["./data/x", "/repo/data"], "/repo")).toEqual(["data/x/*.pkl", "*.pkl", "x/*.pkl"]);
  });

  it("keeps ** globs, globs of other folders, and targets outside the working directory as they are", () => {
    expect(cwdRelativeIgnores(["**/.venv/**", "other/*.pt"], ["models", "/elsewhere/m"], "/repo")).toEqual(["**/.venv/**", "other/*.pt"]);
  });
});
