import type { AnalyzerContext, ByteSource, ExpansionBudget, PositionInFile } from "@modelward/core";
import { RULES } from "./rules.js";

/**
 * Everything between an archive analyzer and `ctx.scanNested`: the member
 * count limit, the compression ratio limit and the shared expansion budget,
 * each reported as a finding plus an incomplete entry when it stops a member.
 */
export class MemberGate {
  /** Members handed to the engine so far. */
  handed = 0;
  private countReported = false;
  private readonly budget: ExpansionBudget;

  constructor(
    private readonly ctx: AnalyzerContext<unknown>,
    private readonly container: string,
  ) {
    // The engine shares one budget across everything nested in the top-level file.
    this.budget = ctx.expansion;
  }

  /** True when another member may be handed over; reports `archive/entry-bomb` once when the limit is reached. */
  admit(name: string, remainingHint?: number): boolean {
    if (this.handed < this.ctx.limits.maxMembersPerContainer) return true;
    if (!this.countReported) {
      this.countReported = true;
      this.ctx.report({
        ruleId: RULES.entryBomb.id,
        message: `${this.container} has more members than maxMembersPerContainer (${this.ctx.limits.maxMembersPerContainer}); "${name}"${remainingHint ? ` and ${remainingHint - 1} more` : " and later members"} were not analyzed`,
        evidence: { limit: this.ctx.limits.maxMembersPerContainer, firstSkipped: name },
      });
      this.ctx.incomplete(`members past maxMembersPerContainer (${this.ctx.limits.maxMembersPerContainer}) not analyzed, from "${name}"`);
    }
    return false;
  }

  /**
   * True when a member expanding `compressed` bytes into `expanded` bytes may
   * be decompressed: within the ratio limit and the shared budget (which it
   * then consumes). Otherwise reports `archive/decompression-bomb` and an
   * incomplete entry.
   */
  allowExpansion(name: string, compressed: number, expanded: number, position?: PositionInFile): boolean {
    const ratio = expanded / Math.max(1, compressed);
    // Tiny members cannot hurt whatever their ratio (an empty file deflates to 2 bytes).
    const tiny = expanded <= 1024 * 1024;
    if (!tiny && ratio > this.ctx.limits.maxCompressionRatio) {
      this.bomb(name, `${name} expands ${compressed} bytes into ${expanded} (ratio ${Math.round(ratio)}:1, limit ${this.ctx.limits.maxCompressionRatio}:1)`, position, {
        compressed,
        expanded,
        ratio: Math.round(ratio),
        limit: this.ctx.limits.maxCompressionRatio,
      });
      return false;
    }
    if (!this.budget.take(expanded)) {
      this.bomb(name, `${name} would expand to ${expanded} bytes, past the ${this.ctx.limits.maxExpandedBytes}-byte budget (maxExpandedBytes) of its top-level file (${this.budget.remaining} left)`, position, {
        expanded,
        remaining: this.budget.remaining,
        limit: this.ctx.limits.maxExpandedBytes,
      });
      return false;
    }
    return true;
  }

  private bomb(name: string, message: string, position: PositionInFile | undefined, evidence: Record<string, number>): void {
    this.ctx.report({ ruleId: RULES.decompressionBomb.id, message, ...(position ? { position } : {}), evidence: { member: name, ...evidence } });
    this.ctx.incomplete(`member "${name}" not decompressed: ${message}`);
  }

  /** Decompressed bytes still allowed for this top-level file (maxExpandedBytes less what was taken). */
  get remainingBudget(): number {
    return this.budget.remaining;
  }

  /** Take already-decoded bytes from the shared budget (the caller bounded them by {@link remainingBudget}). */
  consume(bytes: number): void {
    this.budget.take(Math.min(bytes, this.budget.remaining));
  }

  /** Hand a member to the engine (counted); `key` identifies its bytes in the container (see NestedArtifact.key). */
  async hand(name: string, source: ByteSource, key?: string): Promise<void> {
    this.handed++;
    await this.ctx.scanNested({
      name,
      ...(key !== undefined ? { key } : {}),
      size: source.size,
      read: (start, end) => source.read(start, end),
      stream: (start, end) => source.stream(start, end),
    });
  }

}
