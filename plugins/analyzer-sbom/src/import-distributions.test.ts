import { describe, expect, it } from "vitest";
import { importedDistributions } from "./import-distributions.js";

describe("imports", () => {
  it("maps imports of the ML stack to distributions, once each, at the first import", () => {
    const deps = importedDistributions(
      ["import numpy as np, pandas as pd", "from sklearn.model_selection import train_test_split", "import cv2", "from PIL import Image", "import yaml", "import os, sys", "import numpy.linalg", "from google.protobuf import text_format", "import mypackage"].join("\n"),
      2,
    );
    expect(deps.map((d) => [d.name, d.line, d.cell])).toEqual([
      ["numpy", 1, 2], ["pandas", 1, 2], ["scikit-learn", 2, 2], ["opencv-python", 3, 2], ["pillow", 4, 2], ["pyyaml", 5, 2], ["protobuf", 8, 2],
    ]);
  });

  it("ignores imports inside docstrings and comments", () => {
    expect(importedDistributions('"""\nimport torch\n"""\n# import keras\nx = 1\n')).toEqual([]);
  });
});
