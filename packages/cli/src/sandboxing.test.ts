import { sandboxCredentials, type Sandbox } from '@sms-suite/sandbox';

import { planSandboxCredentials, pointRouterAtSandbox } from './sandboxing';

describe('planSandboxCredentials', () => {
  it('replaces the credentials the config holds, and fills in none it lacks', () => {
    expect(planSandboxCredentials({ accountSID: 'AC-mine', fromMessagingServiceSID: 'MG1' }, 'twilio')).toEqual({
      replaced: ['accountSID'],
    });
  });

  it('replaces nothing under a misspelt key: the config is validated as written, and validate names the typo', () => {
    expect(planSandboxCredentials({ accountSID: 'AC-mine', authTokn: 'x' }, 'twilio')).toEqual({
      replaced: ['accountSID'],
    });
  });
});

describe('pointRouterAtSandbox', () => {
  const sandbox = {
    url: 'http://127.0.0.1:5555',
    endpointFor: (provider: string) => `http://127.0.0.1:5555/${provider}`,
  } as unknown as Sandbox;

  it("points every provider config at the sandbox for its use, and replaces the credentials it holds, by a single connector's rules", () => {
    const { config, providers } = pointRouterAtSandbox(
      {
        providers: {
          'aliyun-cn': {
            use: 'aliyun',
            config: { accessKeyId: 'LTAI-mine', accessKeySecret: 'mine', signName: 'Acme' },
          },
          twilio: {
            use: 'twilio',
            config: { accountSID: sandboxCredentials.twilio.accountSID, endpoint: 'https://api.twilio.com' },
          },
          typo: { use: 'twillio', config: { authToken: 'x' } },
        },
        routes: [{ countries: ['*'], providers: ['twilio'] }],
        timeout: 5000,
      },
      sandbox
    );

    expect(config).toEqual({
      providers: {
        'aliyun-cn': {
          use: 'aliyun',
          config: { ...sandboxCredentials.aliyun, signName: 'Acme', endpoint: 'http://127.0.0.1:5555/aliyun' },
        },
        // Only what it holds: authToken is not filled in.
        twilio: {
          use: 'twilio',
          config: { accountSID: sandboxCredentials.twilio.accountSID, endpoint: 'http://127.0.0.1:5555/twilio' },
        },
        // A use the sandbox does not speak is left as written (validate refuses it).
        typo: { use: 'twillio', config: { authToken: 'x' } },
      },
      routes: [{ countries: ['*'], providers: ['twilio'] }],
      timeout: 5000,
    });
    expect(providers).toEqual([
      {
        name: 'aliyun-cn',
        provider: 'aliyun',
        endpoint: 'http://127.0.0.1:5555/aliyun',
        replaced: ['accessKeyId', 'accessKeySecret'],
      },
      { name: 'twilio', provider: 'twilio', endpoint: 'http://127.0.0.1:5555/twilio', replaced: [] },
    ]);
  });
});
