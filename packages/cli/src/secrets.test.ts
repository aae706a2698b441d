import type { ConnectorMetadata } from '@logto/connector-kit';

import { secretKeysOf, secretValuesOf } from './secrets';

const metadata = {
  formItems: [
    { key: 'accountSID', label: 'Account SID', type: 'Text', required: true },
    { key: 'authToken', label: 'Auth Token', type: 'Text', required: true },
    { key: 'defaultRegion', label: 'Default region', type: 'Text', required: false },
  ],
} as unknown as ConnectorMetadata;

describe('secretKeysOf', () => {
  it('counts a misspelt secret key as secret: its name no longer says so, its value still is one', () => {
    const config = { accountSID: 'AC1', authTokn: 'tok-SECRET-0123', defaultRegon: 'US' };

    expect(secretKeysOf(config, metadata)).toEqual(['authTokn']);
    expect(secretValuesOf(config, metadata)).toEqual(['tok-SECRET-0123']);
  });
});

describe('secretValuesOf', () => {
  it('hides the password of a URL under any key (redisUrl), raw and decoded', () => {
    const config = { accountSID: 'AC1', redisUrl: 'redis://default:pa%2Fss-0123@redis.internal:6379/0' };

    expect(secretValuesOf(config, metadata)).toEqual(['pa%2Fss-0123', 'pa/ss-0123']);
  });
});
