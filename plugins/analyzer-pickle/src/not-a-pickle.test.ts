import { describe, expect, it } from "vitest";
import { pickleClaim } from "./sniff-pickle.js";
import { alarms, findingsOf, scan, severityOf } from "./test-helpers.js";

const enc = (s: string) => new TextEncoder().encode(s);

// Texts of the kinds found under /usr/share/doc whose first bytes all happen to be pickle opcodes
// (N = NONE, o = OBJ, d = DICT, e = APPENDS, ( = MARK, 0 = POP, . = STOP …).
const TEXTS: Record<string, string> = {
  "README.md": "Node.js - jsonfile\n================\n\nEasily read/write JSON files in Node.js. Note: this module cannot be used in the browser.\n\n" +
    "Why?\n----\n\nWriting `JSON.stringify()` and then `fs.writeFile()` and `JSON.parse()` with `fs.readFile()` enclosed in `try/catch` blocks became annoying.\n",
  "index.js": "'use strict'\n\nlet _fs\ntry {\n  _fs = require('graceful-fs')\n} catch (_) {\n  _fs = require('fs')\n}\nconst universalify = require('universalify')\n" +
    "const { stringify, stripBom } = require('./utils')\n\nasync function _readFile (file, options = {}) {\n  if (typeof options === 'string') {\n    options = { encoding: options }\n  }\n}\n",
  "data.csv": "Name,Age,City\nNora,34,Oslo\nEmil,28,Bergen\nNils,45,Trondheim\n(pending),0,\n",
  "NEWS": "Noteworthy changes in release 2.3 (2023-01-02)\n=============================================\n\n* bugfix: a crash with empty input. (closes: #1234)\n* new: option --quiet.\n",
  // BINFLOAT "IT v1.5.", DUP, STOP: a complete one-value pickle, then prose (git's release notes; 12 under /usr/share/doc/git).
  "1.5.2.1.txt": "GIT v1.5.2.1 Release Notes\n==========================\n\nFixes since v1.5.2\n------------------\n\n * git-send-email did not work.\n",
  "1.5.2.3.txt": "GIT v1.5.2.3 Release Notes\n==========================\n\nFixes since v1.5.2.2\n--------------------\n\n * Version 1.5.2.2 was broken.\n",
  "changelog": "0.9.1 (2020-05-01)\n\n  * Fix a memory leak in the parser.\n  * Docs: correct the example.\n\n -- Maintainer <m@example.org>  Fri, 01 May 2020 10:00:00 +0200\n",
};

describe("plain text claimed only by a content guess is not a pickle (issue 9 item 5)", () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    it(`${name}: no finding at all`, async () => {
      const bytes = enc(text);
      const claim = pickleClaim(bytes.subarray(0, 4096), name.includes(".") ? name.split(".").pop()! : "", true);
      const r = await scan(bytes, name);
      // Either not claimed at all, or claimed by a guess and then found not to parse: silent either way.
      if (r.claimed === "pickle") expect(claim).toBe("guess");
      expect(findingsOf(r).map((f) => [f.ruleId, severityOf(f), f.message])).toEqual([]);
    });
  }

  it("the README that starts with 'Node.js - jsonfile' is claimed by a guess (the case being fixed)", () => {
    expect(pickleClaim(enc(TEXTS["README.md"]!), "md", true)).toBe("guess");
  });

  it("the same text named .pkl is still a broken pickle (an extension is a claim)", async () => {
    const r = await scan(enc(TEXTS["README.md"]!), "model.pkl");
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/malformed-stream" && severityOf(f) === "high")).toBe(true);
  });

  it("a guess-only protocol-0 stream that calls before it breaks still alarms (nullifAI without magic)", async () => {
    const r = await scan(enc("cos\nsystem\n(S'echo guess'\ntR\xff"), "weights");
    expect(alarms(r, "critical")).toBe(true);
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/malformed-stream")).toBe(true);
  });

  it("a guess-only lone value followed by a payload stream still alarms", async () => {
    const r = await scan(enc("GIT v1.5.2.1\ncos\nsystem\n(S'echo after'\ntR."), "NOTES");
    expect(alarms(r, "critical"), JSON.stringify(findingsOf(r).map((f) => f.message))).toBe(true);
  });

  it("a guess-only text with a payload after its first break stays quiet only because pickle.load stops at the break", async () => {
    // pickle.load fails on the first bytes; a second stream is only reached by loaders that resync, which none does.
    const r = await scan(enc(`${TEXTS["NEWS"]}cos\nsystem\n(S'echo later'\ntR.`), "NEWS");
    expect(alarms(r, "medium")).toBe(false);
  });
});
