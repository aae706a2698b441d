import { readFileSync } from 'node:fs';

import { sandboxCredentials } from './credentials';
import { magicNumbers } from './magic';
import { providerPrefixes } from './server';
import { sandboxProviders } from './types';

const guide = readFileSync(new URL('SANDBOX.md', import.meta.url), 'utf8');

/** `+16505550101` → `+1 650 555 0101`, `+8613800000101` → `+86 138 0000 0101`, as the guide writes them. */
const spaced = (number: string) =>
  number.startsWith('+86')
    ? number.replace(/^\+86(\d{3})(\d{4})(\d{4})$/, '+86 $1 $2 $3')
    : number.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '+1 $1 $2 $3');

describe('SANDBOX.md stays true to the code', () => {
  it.each(sandboxProviders.map((provider) => [provider]))(
    'lists the %s endpoint and every credential value',
    (provider) => {
      const row = guide.split('\n').find((line) => line.startsWith(`| ${provider} |`));
      expect(row).toBeDefined();
      expect(row).toContain(
        provider === 'tencent' ? '`http://127.0.0.1:PORT`' : `\`http://127.0.0.1:PORT${providerPrefixes[provider]}\``
      );
      for (const [key, value] of Object.entries(sandboxCredentials[provider])) {
        expect(row).toContain(`\`${key}\` \`${value}\``);
      }
    }
  );

  it.each(magicNumbers.map(({ number, outcome }) => [number, outcome]))('lists magic number %s (%s)', (number) => {
    expect(guide).toContain(`\`${spaced(number)}\``);
  });
});
