import { closest, distance } from './suggest';

describe('distance', () => {
  it.each([
    ['send', 'send', 0],
    ['sned', 'send', 1],
    ['Tset', 'Test', 1],
    ['twillio', 'twilio', 1],
    ['validat', 'validate', 1],
    ['abc', '', 3],
  ])('%s → %s: %i', (left, right, expected) => {
    expect(distance(left, right)).toBe(expected);
  });
});

describe('closest', () => {
  const types = ['SignIn', 'Register', 'ForgotPassword', 'Generic', 'MfaVerification'];

  it.each([
    ['Signin', 'SignIn'],
    ['signIn', 'SignIn'],
    ['Registr', 'Register'],
    ['ForgotPasword', 'ForgotPassword'],
    ['Generc', 'Generic'],
    ['Login', undefined],
    ['Whatever', undefined],
  ])('%s → %s', (input, expected) => {
    expect(closest(input, types)).toBe(expected);
  });
});
