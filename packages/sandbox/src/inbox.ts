import type { InboxEntry } from './types';

const describeParams = (params: InboxEntry['templateParams']): string => {
  if (!params) {
    return '';
  }
  if (Array.isArray(params)) {
    return params.map((value, index) => `{${index + 1}}=${value}`).join(' ');
  }
  return Object.entries(params)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
};

/**
 * One or two lines for a terminal:
 *
 *     twilio → +16502530000 (from MG123…, id SM5f2…)
 *       "Your verification code is 000000"
 *     aliyun → 13800138000 (from Acme, id 900619746936498440^0)
 *       template SMS_154950909 code=000000
 *     http → 16502530000 (id sandbox-…)
 *       type SignIn code=000000 locale=fr-CA        (no "message": the gateway renders it)
 */
export const formatInboxEntry = (entry: InboxEntry): string => {
  const details = [entry.sender && `from ${entry.sender}`, `id ${entry.id}`].filter(Boolean).join(', ');
  const head = `${entry.provider} → ${entry.to} (${details})`;
  // The HTTP gateway without "message" gets the usage type and payload to render itself.
  const templateLabel = entry.provider === 'http' ? 'type' : 'template';
  const params = entry.templateParams ? ` ${describeParams(entry.templateParams)}` : '';
  const content =
    entry.text !== undefined
      ? JSON.stringify(entry.text)
      : entry.templateCode !== undefined
        ? `${templateLabel} ${entry.templateCode}${params}`
        : '(no content)';
  const warnings = entry.warnings?.length ? `  ⚠ ${entry.warnings.join('; ')}` : '';
  return `${head}\n  ${content}${warnings}`;
};
