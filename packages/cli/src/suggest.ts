const distance = (left: string, right: string): number => {
  const previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= right.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(
        above + 1,
        previous[j - 1]! + 1,
        diagonal + (left[i - 1] === right[j - 1] ? 0 : 1)
      );
      diagonal = above;
    }
  }
  return previous[right.length]!;
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
