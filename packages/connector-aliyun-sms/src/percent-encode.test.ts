import { percentEncode } from './percent-encode';

describe('percentEncode (RFC 3986)', () => {
  it.each([
    ['AZaz09-_.~', 'AZaz09-_.~'],
    [' ', '%20'],
    ['*', '%2A'],
    ["!'()", '%21%27%28%29'],
    ['+/=', '%2B%2F%3D'],
    ['阿', '%E9%98%BF'],
    ['a%b', 'a%25b'],
  ])('encodes %j as %j', (input, expected) => {
    expect(percentEncode(input)).toBe(expected);
  });
});
