import { satisfies } from './semver';

describe('satisfies', () => {
  it.each([
    ['5.1.1', '>=5.0.1 <6', true],
    ['5.0.1', '>=5.0.1 <6', true],
    ['5.0.0', '>=5.0.1 <6', false],
    ['6.0.0', '>=5.0.1 <6', false],
    ['4.7.0', '>=4.7.0 <6', true],
    ['5.1.0', '^5.1.1', false],
    ['5.9.0', '^5.1.1', true],
    ['6.0.0', '^5.1.1', false],
    ['0.2.5', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['5.1.9', '~5.1.0', true],
    ['5.2.0', '~5.1.0', false],
    ['5.1.1', '5.1.1', true],
    ['4.6.0', '^4.7.0 || ^5.0.0', false],
    ['5.0.0', '^4.7.0 || ^5.0.0', true],
    ['5.0.1', '>= 5.0.1', true],
  ])('%s in %s → %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it.each([
    ['5.1.1', 'workspace:^'],
    ['5.1.1', 'latest'],
    ['not-a-version', '^5.0.0'],
  ])('does not guess for %s in %s', (version, range) => {
    expect(satisfies(version, range)).toBeUndefined();
  });
});
