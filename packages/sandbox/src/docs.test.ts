import { readFileSync } from 'node:fs';

import { sandboxCredentials } from './credentials';
import { magicNumbers } from './magic';
import { outageModes, outageProvidersFor } from './outages';
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

describe('SANDBOX.md documents every outage mode', () => {
  const heading = '### Outages: make one provider fail';
  const start = guide.indexOf(heading);
  const section = guide.slice(start, guide.indexOf('\n### ', start + heading.length));
  const cells = (row: string) =>
    row
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  /** Rows that start with a mode in backticks: the modes table, then the providers table. */
  const rowsOf = (mode: string) => section.split('\n').filter((line) => line.startsWith(`| \`${mode}\` |`));
  /** The header of the table that lists what each provider answers. */
  const providerHeader = section.split('\n').find((line) => line.startsWith('| Mode | Twilio |')) ?? '';

  it('has the section, with the CLI flag, the HTTP control and the request counts', () => {
    expect(start).toBeGreaterThan(-1);
    for (const text of ['--outage twilio=unavailable', '-X PUT', '-X DELETE', '/outages/twilio', 'GET /requests']) {
      expect(section).toContain(text);
    }
  });

  it('names no mode the code does not have', () => {
    const documented = section
      .split('\n')
      .map((line) => /^\| `([a-z-]+)` \|/.exec(line)?.[1])
      .filter(Boolean);
    expect(new Set(documented)).toEqual(new Set(outageModes));
  });

  it.each(outageModes.map((mode) => [mode]))(
    '%s: what it does, and a reply for exactly the providers that have it',
    (mode) => {
      const [modeRow, providerRow] = rowsOf(mode);
      expect(rowsOf(mode)).toHaveLength(2);
      expect(cells(modeRow ?? '').every(Boolean)).toBe(true);

      const providers = cells(providerHeader).slice(1);
      const replies = cells(providerRow ?? '').slice(1);
      expect(replies).toHaveLength(sandboxProviders.length);
      const applies = outageProvidersFor(mode);
      sandboxProviders.forEach((provider, index) => {
        // The columns are in the catalog's order, under the providers' display names.
        expect(providers[index]?.toLowerCase()).toContain(provider);
        expect([provider, replies[index] === '—']).toEqual([provider, !applies.includes(provider)]);
      });
    }
  );
});
