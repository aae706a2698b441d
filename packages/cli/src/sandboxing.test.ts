import { planSandboxCredentials } from './sandboxing';

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
