/**
 * Just enough semver to tell whether a Logto instance's @logto/connector-kit version satisfies a
 * connector's declared range, the check Logto's loader makes (`>=5.0.1 <6`, `^5.0.1`, `~5.1.0`,
 * `5.1.1`, `||`). Returns undefined for ranges it does not understand.
 */
type Version = [number, number, number];

const parse = (text: string): Version | undefined => {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:-[\w.]+)?$/.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const part = (value: string | undefined) =>
    value === undefined || value === 'x' || value === '*' ? 0 : Number(value);
  return [part(match[1]), part(match[2]), part(match[3])];
};

const compare = (left: Version, right: Version) => left[0] - right[0] || left[1] - right[1] || left[2] - right[2];

const comparatorHolds = (version: Version, comparator: string): boolean | undefined => {
  const match = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(comparator);
  const bound = match && parse(match[2]!);
  if (!match || !bound) {
    return undefined;
  }
  const order = compare(version, bound);
  switch (match[1]) {
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    case '^': {
      const upper: Version =
        bound[0] > 0 ? [bound[0] + 1, 0, 0] : bound[1] > 0 ? [0, bound[1] + 1, 0] : [0, 0, bound[2] + 1];
      return order >= 0 && compare(version, upper) < 0;
    }
    case '~':
      return order >= 0 && compare(version, [bound[0], bound[1] + 1, 0]) < 0;
    default:
      return order === 0;
  }
};

export const satisfies = (versionText: string, range: string): boolean | undefined => {
  const version = parse(versionText);
  if (!version) {
    return undefined;
  }
  const results = range.split('||').map((set) => {
    const comparators = set
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    const holds = comparators.map((comparator) => comparatorHolds(version, comparator));
    return holds.includes(undefined) ? undefined : holds.every(Boolean);
  });
  if (results.includes(true)) {
    return true;
  }
  return results.includes(undefined) ? undefined : false;
};
