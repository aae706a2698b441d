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

describe('secretValuesOf a router config', () => {
  const routerMetadata = {
    formItems: [
      { key: 'providers', label: 'Providers', type: 'Json', required: true },
      { key: 'routes', label: 'Routes', type: 'Json', required: true },
    ],
  } as unknown as ConnectorMetadata;

  it("finds every nested provider config's secrets: its secretKeys, derived ones and misspelt keys", () => {
    const config = {
      providers: {
        'aliyun-cn': {
          use: 'aliyun',
          config: { accessKeyId: 'LTAI1', accessKeySecret: 'ali-SECRET-1', signName: 'Acme' },
        },
        twilio: { use: 'twilio', config: { accountSID: 'AC1', authTokn: 'tok-SECRET-2' } },
        gateway: {
          use: 'http',
          config: {
            endpoint: 'https://gw.example.com',
            authorization: 'Bearer bearer-SECRET-3',
            headers: { 'X-Key': 'hdr-SECRET-4' },
          },
        },
        vonage: { use: 'vonage', config: { apiKey: 'key1', apiSecret: 'von-SECRET-5', brandName: 'Acme' } },
      },
      routes: [{ countries: ['*'], providers: ['twilio'] }],
      redisUrl: 'redis://:redis-SECRET-6@redis.internal:6379',
    };
    const values = secretValuesOf(config, routerMetadata);

    for (const secret of [
      'ali-SECRET-1',
      'tok-SECRET-2',
      'Bearer bearer-SECRET-3',
      // The token alone, as the http connector derives it.
      'bearer-SECRET-3',
      'hdr-SECRET-4',
      'von-SECRET-5',
      'redis-SECRET-6',
    ]) {
      expect(values).toContain(secret);
    }
    // Senders and endpoints are not secrets (key ids are, by name, as for a single connector).
    for (const value of ['AC1', 'Acme', 'https://gw.example.com']) {
      expect(values).not.toContain(value);
    }
  });

  it('hides the credentials of a provider whose use the suite does not know, and of an invalid entry', () => {
    const config = {
      providers: {
        backup: { use: 'twillio', config: { authToken: 'tok-SECRET-7', apiSecrt: 'misspelt-SECRET-8' } },
        broken: { use: 'twilio', config: 'not an object' },
      },
    };

    expect(secretValuesOf(config, routerMetadata)).toEqual(['tok-SECRET-7', 'misspelt-SECRET-8']);
  });
});
