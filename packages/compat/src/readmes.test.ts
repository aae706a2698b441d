/**
 * The connector READMEs cannot drift from the code. For every catalog row (and the router) the README
 * has the same sections in English and in 简体中文, in the same order; its config-types table lists
 * every config key the connector's guard accepts (the provider's own fields, the shared fields and the
 * destination-policy fields) and nothing else; its errors section names every code of the provider's
 * code table; the console is named by one path; the config example validates. A new config field or a
 * new provider code fails here until both languages document it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { catalog, routerEntry, type CatalogEntry, type ProviderName } from '@sms-suite/catalog';
import { providerConfigGuard, providerConfigShape } from '@sms-suite/sms-kit';

import { aliyunCodePrefixes, aliyunErrorCodes } from '../../connector-aliyun-sms/src/reply';
import { gatewayApiErrorCodes } from '../../connector-gatewayapi-sms/src/reply';
import { gatewayErrorCodes } from '../../connector-http-sms/src/reply';
import { routerConfigGuard, routerConfigKeys } from '../../connector-router-sms/src/config';
import { smsAeroLegacyResults, smsAeroStatusRules } from '../../connector-smsaero-sms/src/reply';
import { tencentErrorCodes, tencentErrorPrefixes } from '../../connector-tencent-sms/src/reply';
import { twilioErrorCodes } from '../../connector-twilio-sms/src/reply';
import { vonageStatusCodes } from '../../connector-vonage-sms/src/reply';
import { repositoryRoot } from './harness';

/** The `##` sections of each language part, in this order; deeper headings inside them are free. */
const readmeSections = {
  English: [
    '1. Set up the provider',
    '2. Compose the config',
    '3. Config types',
    '4. Test in the Logto console',
    '5. Errors and what to do',
    '6. Install the connector into Logto',
  ],
  简体中文: [
    '1. 准备服务商账号',
    '2. 编写配置',
    '3. 配置项类型',
    '4. 在 Logto 控制台测试',
    '5. 错误与处理方法',
    '6. 将连接器安装到 Logto',
  ],
} as const;

type Language = keyof typeof readmeSections;
const languages = Object.keys(readmeSections) as Language[];

/** Where the connectors are in the Logto console (Logto 1.4x: the "Email and SMS connectors" tab). */
const consolePath: Record<Language, string> = {
  English: 'Console → Connectors → Email and SMS connectors → SMS connector',
  简体中文: '控制台 → 连接器 → 短信和邮件连接器 → 短信连接器',
};
/** Names of the console page that are not (or no longer) what the console shows. */
const outdatedConsoleNames = ['Passwordless connectors', '无密码连接器', 'Connectors → SMS connector'];

/** The config-types table starts with these columns (one row per config key). */
const configTableHeader: Record<Language, RegExp> = {
  English: /^\| Key \| Type \| Required \| Default \|/,
  简体中文: /^\| 键 \| 类型 \| 必填 \| 默认值 \|/,
};

const troubleshootingLink = '../../docs/troubleshooting.md';

/** A provider's code table: exact codes, and code families matched by prefix (`Throttling…`). */
type CodeTable = { codes: readonly string[]; prefixes?: readonly string[] };

/** Every provider's reply codes, from its reply.ts: a catalog row without one does not type-check. */
const codeTables = {
  twilio: { codes: Object.keys(twilioErrorCodes) },
  aliyun: { codes: Object.keys(aliyunErrorCodes), prefixes: aliyunCodePrefixes.map(([prefix]) => prefix) },
  tencent: { codes: Object.keys(tencentErrorCodes), prefixes: tencentErrorPrefixes.map(([prefix]) => prefix) },
  http: { codes: Object.keys(gatewayErrorCodes) },
  // HTTP statuses that decide the outcome, and the legacy `result` values (the text rules are patterns).
  smsaero: { codes: [...Object.keys(smsAeroStatusRules), ...Object.keys(smsAeroLegacyResults)] },
  gatewayapi: { codes: Object.keys(gatewayApiErrorCodes) },
  vonage: { codes: Object.keys(vonageStatusCodes) },
} satisfies Record<ProviderName, CodeTable>;

type Part = { title: string; sections: Array<{ heading: string; body: string }> };

/** The README split at its `#` lines (one part per language) and each part at its `##` lines; code blocks are skipped. */
const parseReadme = (text: string): Part[] => {
  const parts: Part[] = [];
  let inCode = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inCode = !inCode;
    }
    const part = parts.at(-1);
    const section = part?.sections.at(-1);
    if (!inCode && line.startsWith('# ')) {
      parts.push({ title: line.slice(2).trim(), sections: [] });
    } else if (!inCode && line.startsWith('## ') && part) {
      part.sections.push({ heading: line.slice(3).trim(), body: '' });
    } else if (section) {
      section.body += `${line}\n`;
    }
  }
  return parts;
};

/** The keys of the first table under `header` in a section: the first cell of each row, in backticks. */
const tableKeys = (body: string, header: RegExp): string[] | undefined => {
  const lines = body.split('\n');
  const start = lines.findIndex((line) => header.test(line));
  if (start < 0) {
    return undefined;
  }
  const keys: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) {
      break;
    }
    const key = /^\|\s*`([^`]+)`\s*\|/.exec(line)?.[1];
    if (key) {
      keys.push(key);
    }
  }
  return keys;
};

const documented = (body: string, code: string) => body.includes(`\`${code}\``);
const documentedFamily = (body: string, prefix: string) =>
  [prefix, `${prefix}*`, `${prefix}.*`].some((written) => documented(body, written));

const firstJsonBlock = (body: string): unknown => {
  const json = /```json\n([^]*?)```/.exec(body)?.[1];
  return json === undefined ? undefined : (JSON.parse(json) as unknown);
};

type Readme = {
  name: string;
  file: string;
  title: string;
  configKeys: readonly string[];
  codeTable?: CodeTable;
  validates: (config: unknown) => boolean;
};

const readmes: Readme[] = [
  ...catalog.map((row: CatalogEntry): Readme => ({
    name: row.name,
    file: `packages/connector-${row.name}-sms/README.md`,
    title: row.metadata.name.en ?? '',
    configKeys: Object.keys(providerConfigShape(row.provider)),
    codeTable: codeTables[row.name as ProviderName],
    validates: (config) => providerConfigGuard(row.provider).safeParse(config).success,
  })),
  {
    name: routerEntry.name,
    file: 'packages/connector-router-sms/README.md',
    title: routerEntry.metadata.name.en ?? '',
    configKeys: routerConfigKeys,
    validates: (config) => routerConfigGuard.safeParse(config).success,
  },
];

describe.each(readmes.map((readme) => [readme.name, readme] as const))('%s README', (_, readme) => {
  const text = readFileSync(path.join(repositoryRoot, readme.file), 'utf8');
  const parts = parseReadme(text);
  const partOf = (language: Language): Part => parts[languages.indexOf(language)] ?? { title: '', sections: [] };
  const sectionOf = (language: Language, index: number): string =>
    partOf(language).sections.find(({ heading }) => heading === readmeSections[language][index])?.body ?? '';

  it('starts with the title the console shows, then has one English and one 简体中文 part', () => {
    expect(text.split('\n')[0]).toBe(`# ${readme.title}`);
    expect(parts.map(({ title }) => title)).toEqual([readme.title, expect.stringMatching(/[\u4e00-\u9fff]/)]);
  });

  it.each(languages)('has the same sections in the same order (%s)', (language) => {
    expect(partOf(language).sections.map(({ heading }) => heading)).toEqual(readmeSections[language]);
  });

  it.each(languages)('lists every config key in the config-types table, and no other (%s)', (language) => {
    const keys = tableKeys(sectionOf(language, 2), configTableHeader[language]);
    expect(keys).toBeDefined();
    const missing = readme.configKeys.filter((key) => !keys?.includes(key));
    const unknown = (keys ?? []).filter((key) => !readme.configKeys.includes(key));
    expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
  });

  it.each(languages)('shows a complete config example that validates (%s)', (language) => {
    const example = firstJsonBlock(sectionOf(language, 1));
    expect(example).toBeDefined();
    expect(readme.validates(example)).toBe(true);
  });

  it.each(languages)("names every code of the provider's code table in the errors section (%s)", (language) => {
    const errors = sectionOf(language, 4);
    const { codes = [], prefixes = [] } = readme.codeTable ?? {};
    const missing = [
      ...codes.filter((code) => !documented(errors, code)),
      ...prefixes.filter((prefix) => !documentedFamily(errors, prefix)).map((prefix) => `${prefix}…`),
    ];
    expect(missing).toEqual([]);
    expect(errors).toContain(troubleshootingLink);
  });

  it.each(languages)('names the console by one path (%s)', (language) => {
    expect(sectionOf(language, 3)).toContain(consolePath[language]);
    for (const outdated of outdatedConsoleNames) {
      expect(text).not.toContain(outdated);
    }
  });
});

describe('docs/troubleshooting.md', () => {
  it('covers every provider, every error code the console shows, and is linked from the root README', () => {
    const text = readFileSync(path.join(repositoryRoot, 'docs/troubleshooting.md'), 'utf8');
    for (const { title } of catalog) {
      expect(text).toContain(title);
    }
    for (const code of [
      'invalid_config',
      'invalid_request_parameters',
      'rate_limit_exceeded',
      'usage_limit_exceeded',
      'invalid_response',
      'general',
      'connector.not_found',
    ]) {
      expect(text).toContain(`\`${code}\``);
    }
    expect(readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8')).toContain('(docs/troubleshooting.md)');
  });
});
