import { memoryFile, recordingContext } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { analyzerFromHandlers, type FormatHandler } from "./format-handlers.js";

const starts = (prefix: string) => (_f: unknown, head: Uint8Array) => new TextDecoder().decode(head).startsWith(prefix);
const handler = (prefix: string, format: string, log: string[]): FormatHandler => ({
  formats: [format],
  match: starts(prefix),
  analyze: async (file) => void log.push(`${format}:${file.name}`),
});

describe("analyzerFromHandlers", () => {
  it("matches when any handler does and runs only the first that matches", async () => {
    const log: string[] = [];
    const analyzer = analyzerFromHandlers({
      id: "multi",
      version: 1,
      description: "test",
      rules: [],
      handlers: [handler("AB", "ab", log), handler("A", "a", log)],
    });
    expect(analyzer.formats).toEqual(["ab", "a"]);
    const file = memoryFile("x.bin", new TextEncoder().encode("ABC"));
    expect(analyzer.match(file, new TextEncoder().encode("ABC"), new Uint8Array())).toBe(true);
    expect(analyzer.match(file, new TextEncoder().encode("Z"), new Uint8Array())).toBe(false);
    const { ctx } = recordingContext();
    await analyzer.analyze(file, ctx);
    expect(log).toEqual(["ab:x.bin"]);
  });

  it("reports the file incomplete when no handler accepts it at analysis time", async () => {
    const analyzer = analyzerFromHandlers({ id: "multi", version: 1, description: "t", rules: [], handlers: [handler("A", "a", [])] });
    const { ctx, recording } = recordingContext();
    await analyzer.analyze(memoryFile("z.bin", new TextEncoder().encode("ZZZ")), ctx);
    expect(recording.incomplete).toEqual(["multi: the content matches none of the formats this analyzer reads"]);
  });
});
