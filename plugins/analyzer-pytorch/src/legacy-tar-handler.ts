import type { AnalyzerContext, ModelFile } from "@modelward/core";
import { sniff, windowSource } from "@modelward/plugin-kit";
import { headKind, memberKind } from "./member-kind.js";
import { RULES } from "./rules.js";
import type { FormatHandler } from "@modelward/plugin-kit";

const BLOCK = 512;
// torch ≤ 0.1.x wrote exactly four members; a real tar of this shape never has many more.
const MAX_MEMBERS = 10_000;
// torch/serialization.py `legacy_load` extracts these by name.
const REQUIRED = ["sys_info", "pickle", "storages", "tensors"] as const;

interface TarMember {
  name: string;
  offset: number;
  size: number;
  type: string;
}

const text = (b: Uint8Array, s: number, e: number): string => {
  const part = b.subarray(s, e);
  const nul = part.indexOf(0);
  return Buffer.from(nul >= 0 ? part.subarray(0, nul) : part).toString("utf8");
};

/** Lists a tar's members from its headers (ustar name/prefix; pax and GNU long names keep the header name). */
async function listTar(file: ModelFile): Promise<{ members: TarMember[]; complete: boolean }> {
  const members: TarMember[] = [];
  let at = 0;
  while (at + BLOCK <= file.size && members.length < MAX_MEMBERS) {
    const h = await file.read(at, at + BLOCK);
    if (h.every((b) => b === 0)) return { members, complete: true };
    const sizeText = text(h, 124, 136).trim();
    if (!/^[0-7]*$/.test(sizeText)) return { members, complete: false };
    const size = sizeText ? parseInt(sizeText, 8) : 0;
    if (!Number.isSafeInteger(size)) return { members, complete: false };
    const prefix = text(h, 257, 263).startsWith("ustar") ? text(h, 345, 500) : "";
    const name = (prefix ? `${prefix}/` : "") + text(h, 0, 100);
    members.push({ name, offset: at + BLOCK, size, type: String.fromCharCode(h[156]!) });
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return { members, complete: at >= file.size };
}

/**
 * The torch ≤ 0.1.x tar layout (`sys_info`, `pickle`, `storages`, `tensors`).
 * The archive analyzer hands the members to the engine; this one says the
 * file is a legacy torch checkpoint and checks the layout.
 */
export const torchLegacyTarHandler: FormatHandler = {
  match(_file, head) {
    try {
      if (!sniff(head).includes("tar")) return false;
      const first = text(head, 0, 100);
      return (REQUIRED as readonly string[]).includes(first);
    } catch {
      return false;
    }
  },
  async analyze(file, ctx) {
    await analyzeTar(file, ctx);
  },
};

async function analyzeTar(file: ModelFile, ctx: AnalyzerContext<unknown>): Promise<void> {
  const { members, complete } = await listTar(file);
  if (!complete) ctx.incomplete("the tar listing stopped early; the layout was checked on the members listed");
  const files = members.filter((m) => m.type === "0" || m.type === "\0");
  const names = new Set(files.map((m) => m.name));
  if (!REQUIRED.some((r) => names.has(r))) return;
  const missing = REQUIRED.filter((r) => !names.has(r));
  if (missing.length) {
    ctx.report({ ruleId: RULES.malformedLayout.id, message: `legacy torch tar without ${missing.map((m) => `"${m}"`).join(", ")}: torch.load raises after extracting the others`, evidence: { missing: missing.join(",") } });
  }
  for (const m of members) {
    if ((REQUIRED as readonly string[]).includes(m.name) && (m.type === "0" || m.type === "\0")) continue;
    if (m.type === "x" || m.type === "g" || m.type === "L" || m.type === "K") continue;
    const source = windowSource(file, m.offset, m.size);
    const kind = m.size > 0 ? (headKind(await source.read(0, Math.min(m.size, 16))) !== "other" || m.size <= 1024 * 1024 ? await memberKind(source, ctx.signal) : "other") : "other";
    if (kind === "pickle") {
      ctx.report({ ruleId: RULES.hiddenPickle.id, message: `"${m.name}" is not one of the four legacy tar members but holds a pickle`, position: { byteOffset: m.offset }, evidence: { member: m.name } });
    } else {
      ctx.report({
        ruleId: RULES.unexpectedMember.id,
        severity: kind === "executable" ? "high" : kind === "archive" ? "medium" : "low",
        message: `"${m.name}" is not a member torch's legacy tar layout has${kind === "other" ? "" : ` (it is ${kind === "executable" ? "an executable" : "a nested archive"})`}`,
        position: { byteOffset: m.offset },
        evidence: { member: m.name, kind, type: m.type },
      });
    }
  }
  ctx.describe({ format: "pytorch", framework: "pytorch", properties: { layout: "legacy-tar", members: members.length } });
}
