/**
 * The candidate closest to a mistyped word, for "did you mean …?" hints, or
 * undefined when none is close enough to be a plausible typo (at most a third
 * of the word's length in edits, and never more than 3). Case-insensitive.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const budget = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    // A candidate that merely extends the word (`sari` → `sarif`) or ends like it (`unknown-global` →
    // `pickle/unknown-global`) is the likely intent even past the edit budget.
    const d = c.startsWith(w) || c.endsWith(`/${w}`) ? Math.min(1, editDistance(w, c)) : editDistance(w, c);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Replacing every character is not a typo ("x" is not a misspelt "y").
  return bestDistance <= budget && bestDistance > 0 && bestDistance < w.length ? best : undefined;
}

/** ` Did you mean "x"?` when a candidate is close, else an empty string: appended to an error message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? "" : ` Did you mean "${match}"?`;
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment), two rows of memory. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row.push(d);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}
