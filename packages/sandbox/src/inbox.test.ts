import { formatInboxEntry } from './inbox';
import type { InboxEntry } from './types';

const base = { receivedAt: '2026-08-01T00:00:00.000Z' };

describe('formatInboxEntry', () => {
  it.each<[string, InboxEntry, string]>([
    [
      'a text message',
      { ...base, id: 'SM1', provider: 'twilio', to: '+16502530000', text: 'Your code is 123456', sender: 'MG1' },
      'twilio → +16502530000 (from MG1, id SM1)\n  "Your code is 123456"',
    ],
    [
      'a template with named parameters',
      {
        ...base,
        id: '9^0',
        provider: 'aliyun',
        to: '13800138000',
        templateCode: 'SMS_1',
        templateParams: { code: '123456' },
        sender: 'Acme',
      },
      'aliyun → 13800138000 (from Acme, id 9^0)\n  template SMS_1 code=123456',
    ],
    [
      'a template with positional parameters and a warning',
      {
        ...base,
        id: '2433:1',
        provider: 'tencent',
        to: '16502530000',
        templateCode: '1000004',
        templateParams: ['123456'],
        warnings: ['sent without "+"'],
      },
      'tencent → 16502530000 (id 2433:1)\n  template 1000004 {1}=123456  ⚠ sent without "+"',
    ],
    [
      'an http message without text',
      {
        ...base,
        id: 'h1',
        provider: 'http',
        to: '16502530000',
        templateCode: 'SignIn',
        templateParams: { code: '1', locale: 'fr' },
      },
      'http → 16502530000 (id h1)\n  type SignIn code=1 locale=fr',
    ],
    ['nothing to show', { ...base, id: 'x', provider: 'http', to: '1' }, 'http → 1 (id x)\n  (no content)'],
  ])('%s', (_case, entry, expected) => {
    expect(formatInboxEntry(entry)).toBe(expected);
  });

  it('quotes text so line breaks stay on one line', () => {
    expect(formatInboxEntry({ ...base, id: '1', provider: 'vonage', to: '1', text: 'a\nb' })).toBe(
      'vonage → 1 (id 1)\n  "a\\nb"'
    );
  });
});
