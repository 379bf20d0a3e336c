import { buildNotebook, memoryFile } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { notebookInstalls, parseInstallCommands } from "./install-commands.js";
import { readNotebook } from "./read-notebook.js";
import { splitShell } from "./shell-words.js";

describe("splitShell", () => {
  it("splits words and commands as sh does, without expansion", () => {
    expect(splitShell(`curl -s "https://x.test/a b" | sh && echo 'it''s' ; ls $HOME # note`)).toEqual([
      { words: ["curl", "-s", "https://x.test/a b"], operator: "|" },
      { words: ["sh"], operator: "&&" },
      { words: ["echo", "its"], operator: ";" },
      { words: ["ls", "$HOME"], operator: "" },
    ]);
  });
});

describe("parseInstallCommands", () => {
  it("reads pip's requirements and index options in every spelling", () => {
    const [r] = parseInstallCommands("python3 -m pip install -q -r requirements.txt --extra-index-url=https://pkgs.test/simple -i https://mirror.test torch==2.1.0 'numpy<2' -e git+https://github.com/a/b.git#egg=b --trusted-host pkgs.test -cconstraints.txt");
    expect(r).toMatchObject({
      tool: "pip",
      requirements: ["torch==2.1.0", "numpy<2"],
      requirementFiles: ["requirements.txt"],
      constraintFiles: ["constraints.txt"],
      editables: ["git+https://github.com/a/b.git#egg=b"],
      indexUrl: "https://mirror.test",
      extraIndexUrls: ["https://pkgs.test/simple"],
      trustedHosts: ["pkgs.test"],
      otherOptions: ["-q"],
    });
  });

  it("finds every install of a chain and conda channels, and ignores other commands", () => {
    const rs = parseInstallCommands("apt-get install -y git && uv pip install transformers; conda install -c conda-forge numpy=1.24 && pip list");
    expect(rs.map((r) => [r.tool, r.requirements, r.channels])).toEqual([
      ["pip", ["transformers"], []],
      ["conda", ["numpy=1.24"], ["conda-forge"]],
    ]);
  });
});

describe("notebookInstalls", () => {
  it("lists %pip, !pip and %%bash installs with cell and line", async () => {
    const bytes = buildNotebook({
      cells: [
        { type: "markdown", source: "!pip install not-code" },
        { source: "import x\n%pip install requests==2.19.0\n!pip install -U flask", executionCount: 3 },
        { source: "%%bash\necho hi\npip install django==1.11\n" },
      ],
    });
    const { notebook } = await readNotebook(memoryFile("n.ipynb", bytes));
    expect(notebookInstalls(notebook).map((i) => [i.cell, i.executionCount, i.line, i.requirements])).toEqual([
      [1, 3, 2, ["requests==2.19.0"]],
      [1, 3, 3, ["flask"]],
      [2, 2, 3, ["django==1.11"]],
    ]);
  });
});
