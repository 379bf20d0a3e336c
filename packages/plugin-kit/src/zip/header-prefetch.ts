import type { ByteSource } from "@modelward/core";

// Local headers closer than this are fetched in one read: small members (a torch
// checkpoint's thousands of bias storages) then cost one request per group instead of
// one per member, while large members are never read through.
const GROUP_SPAN = 64 * 1024;
// Room for the last header of a group (fixed part, a typical name and extra field);
// a longer header is simply read on its own.
const LAST_HEADER_ROOM = 512;

/**
 * A view of an archive for reading local headers: a read that misses its
 * cache fetches the whole group of nearby headers it belongs to (headers
 * within 64 KiB of each other, planned from the central directory's
 * offsets), so listing an archive of many small members takes few reads.
 */
export function headerPrefetch(source: ByteSource, headerOffsets: readonly number[]): ByteSource {
  const starts = [...new Set(headerOffsets)].filter((o) => o >= 0 && o < source.size).sort((a, b) => a - b);
  // Groups of header offsets: the first and the last header of each.
  const groups: { start: number; last: number }[] = [];
  for (const o of starts) {
    const g = groups[groups.length - 1];
    if (g && o - g.start <= GROUP_SPAN) g.last = o;
    else groups.push({ start: o, last: o });
  }
  let cached: { start: number; bytes: Uint8Array } | undefined;
  const groupOf = (offset: number) => {
    let lo = 0;
    let hi = groups.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (groups[mid]!.start <= offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 ? groups[hi] : undefined;
  };
  return {
    size: source.size,
    async read(start, end) {
      if (cached && start >= cached.start && end <= cached.start + cached.bytes.length) {
        return cached.bytes.subarray(start - cached.start, end - cached.start);
      }
      const g = groupOf(start);
      // Only a group with several headers is worth a combined read; one header reads alone.
      if (g && g.last > g.start && start <= g.last) {
        const spanEnd = Math.min(source.size, g.last + LAST_HEADER_ROOM);
        if (end <= spanEnd) {
          cached = { start: g.start, bytes: await source.read(g.start, spanEnd) };
          if (start >= cached.start && end <= cached.start + cached.bytes.length) return cached.bytes.subarray(start - cached.start, end - cached.start);
        }
      }
      return source.read(start, end);
    },
    stream: (start, end) => source.stream(start, end),
  };
}
