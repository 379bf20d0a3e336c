/**
 * Finds where a value was written in a manifest whose parser gives no
 * positions (TOML): the first line at or after a section header that holds
 * the value. Good enough for a report's line; never used to decide a finding.
 */
export class SourceLines {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split(/\r\n|\n|\r/);
  }

  /** 1-based line of the `[header]` or `[[header]]` table, or 1. */
  section(header: string): number {
    const escaped = header.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\./g, "\\s*\\.\\s*");
    const re = new RegExp(`^\\s*\\[\\[?\\s*${escaped}\\s*\\]\\]?\\s*(#.*)?$`);
    const i = this.lines.findIndex((l) => re.test(l));
    return i >= 0 ? i + 1 : 1;
  }

  /** 1-based line at or after `from` that contains the quoted string `value`, else `from`. */
  quoted(value: string, from = 1): number {
    for (let i = Math.max(0, from - 1); i < this.lines.length; i++) {
      const l = this.lines[i]!;
      if (l.includes(`"${value}"`) || l.includes(`'${value}'`)) return i + 1;
    }
    return from;
  }

  /** 1-based line at or after `from` that assigns `key` (`key =`, `"key" =`), else `from`. */
  key(key: string, from = 1): number {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const re = new RegExp(`^\\s*(?:${escaped}|"${escaped}"|'${escaped}')\\s*=`, "i");
    for (let i = Math.max(0, from - 1); i < this.lines.length; i++) if (re.test(this.lines[i]!)) return i + 1;
    return from;
  }
}
