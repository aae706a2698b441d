import { secureEqual } from './secure-compare';

export type BasicCredentials = { user: string; password: string };

/** `Basic base64(user:password)` (scheme case-insensitive, RFC 7617); undefined when absent or malformed. */
export const parseBasicAuthorization = (header: string | undefined): BasicCredentials | undefined => {
  const match = /^basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return undefined;
  }
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
};

export type BasicVerdict = 'ok' | 'missing' | 'wrong';

/** Checks a Basic credential against the expected pair in constant time. */
export const verifyBasic = (header: string | undefined, expected: BasicCredentials): BasicVerdict => {
  const given = parseBasicAuthorization(header);
  if (!given) {
    return 'missing';
  }
  const userMatches = secureEqual(given.user, expected.user);
  const passwordMatches = secureEqual(given.password, expected.password);
  return userMatches && passwordMatches ? 'ok' : 'wrong';
};
