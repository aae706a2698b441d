/** Edit distance where swapping two neighbours counts as one edit (`sned` → `send`, `Tset` → `Test`). */
export const distance = (left: string, right: string): number => {
  const rows = Array.from({ length: left.length + 1 }, (_, i) =>
    Array.from({ length: right.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  );
  for (let i = 1; i <= left.length; i += 1) {
    for (let j = 1; j <= right.length; j += 1) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[left.length]![right.length]!;
};

/** The closest candidate when it is close enough to be a typo (case ignored), else undefined. */
export const closest = (input: string, candidates: readonly string[]): string | undefined => {
  const wanted = input.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(wanted, candidate.toLowerCase());
    if (!best || score < best.score) {
      best = { candidate, score };
    }
  }
  if (!best) {
    return undefined;
  }
  const tolerance = Math.max(1, Math.floor(Math.max(input.length, best.candidate.length) / 3));
  return best.score <= tolerance ? best.candidate : undefined;
};

export const didYouMean = (input: string, candidates: readonly string[]): string => {
  const match = closest(input, candidates);
  return match ? ` (did you mean "${match}"?)` : '';
};
