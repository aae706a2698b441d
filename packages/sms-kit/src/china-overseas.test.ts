import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { z, ZodError } from 'zod';

import { chinaOverseasGuard, valueForDestination } from './china-overseas';
import type { PhoneNumber } from './phone';

const mainland: PhoneNumber = { country: 'CN', callingCode: '86', nationalNumber: '13800138000' };

describe('valueForDestination', () => {
  const split = { china: 'CHINA', overseas: 'OVERSEAS' };

  it.each<[string, PhoneNumber, string]>([
    ['mainland', mainland, 'CHINA'],
    [
      '+1 that looks like a mainland mobile',
      { country: 'US', callingCode: '1', nationalNumber: '6502530000' },
      'OVERSEAS',
    ],
    ['Hong Kong', { country: 'HK', callingCode: '852', nationalNumber: '91234567' }, 'OVERSEAS'],
    ['Macau', { country: 'MO', callingCode: '853', nationalNumber: '66123456' }, 'OVERSEAS'],
    ['Taiwan', { country: 'TW', callingCode: '886', nationalNumber: '912345678' }, 'OVERSEAS'],
  ])('picks by calling code, not by the digits: %s', (_case, phone, expected) => {
    expect(valueForDestination(split, phone, { usageType: 'SignIn', noun: 'code' })).toBe(expected);
    expect(valueForDestination('BOTH', phone, { usageType: 'SignIn', noun: 'code' })).toBe('BOTH');
  });

  it.each<[string, PhoneNumber, { china?: string; overseas?: string }, string]>([
    [
      'an international number',
      { country: 'US', callingCode: '1', nationalNumber: '6502530000' },
      { china: 'CHINA' },
      'International numbers are not served: the "SignIn" template has no "overseas" ID (only "china").',
    ],
    [
      'a mainland number',
      mainland,
      { overseas: 'OVERSEAS' },
      'Mainland-China numbers are not served: the "SignIn" template has no "china" ID (only "overseas").',
    ],
  ])('refuses %s whose side is missing, on "to"', (_case, phone, option, message) => {
    let caught: unknown;
    try {
      valueForDestination(option, phone, { usageType: 'SignIn', noun: 'ID' });
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConnectorError);
    expect((caught as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(((caught as ConnectorError).data as ZodError).issues).toEqual([
      { code: 'custom', path: ['to'], message, params: { usageType: 'SignIn' } },
    ]);
  });
});

describe('chinaOverseasGuard', () => {
  const guard = z.object({
    templateCode: chinaOverseasGuard('templateCode', (key) =>
      z.string({ invalid_type_error: `${key}: a code is text` }).min(1, `${key}: not empty`)
    ),
  });
  const issuesOf = (templateCode: unknown) => {
    const result = guard.safeParse({ templateCode });
    return result.success ? [] : result.error.issues.map(({ path, message }) => [path.join('.'), message]);
  };

  it.each([['SMS_1'], [{ china: 'SMS_1' }], [{ overseas: 'SMS_2' }], [{ china: 'SMS_1', overseas: 'SMS_2' }]])(
    'accepts %j',
    (templateCode) => {
      expect(guard.parse({ templateCode })).toEqual({ templateCode });
    }
  );

  it.each<[unknown, Array<[string, string]>]>([
    [123, [['templateCode', 'templateCode: a code is text']]],
    [['SMS_1'], [['templateCode', 'templateCode: a code is text']]],
    ['', [['templateCode', 'templateCode: not empty']]],
    [{}, [['templateCode', 'templateCode needs "china", "overseas" or both']]],
    [{ china: '', overseas: 'SMS_2' }, [['templateCode.china', 'china: not empty']]],
    [{ overseas: 7 }, [['templateCode.overseas', 'overseas: a code is text']]],
  ])('reports %j on the exact key', (templateCode, issues) => {
    expect(issuesOf(templateCode)).toEqual(issues);
  });
});
