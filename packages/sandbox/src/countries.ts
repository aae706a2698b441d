/**
 * ISO 3166 codes for the calling codes of an E.164 number, for the fields providers report
 * (Tencent `IsoCode`, GatewayAPI `usage.countries`). A small table: unknown codes give `fallback`.
 */
const byCallingCode: Record<string, string> = {
  '1': 'US',
  '7': 'RU',
  '20': 'EG',
  '27': 'ZA',
  '30': 'GR',
  '31': 'NL',
  '32': 'BE',
  '33': 'FR',
  '34': 'ES',
  '36': 'HU',
  '39': 'IT',
  '40': 'RO',
  '41': 'CH',
  '43': 'AT',
  '44': 'GB',
  '45': 'DK',
  '46': 'SE',
  '47': 'NO',
  '48': 'PL',
  '49': 'DE',
  '51': 'PE',
  '52': 'MX',
  '54': 'AR',
  '55': 'BR',
  '56': 'CL',
  '57': 'CO',
  '60': 'MY',
  '61': 'AU',
  '62': 'ID',
  '63': 'PH',
  '64': 'NZ',
  '65': 'SG',
  '66': 'TH',
  '81': 'JP',
  '82': 'KR',
  '84': 'VN',
  '86': 'CN',
  '90': 'TR',
  '91': 'IN',
  '92': 'PK',
  '234': 'NG',
  '254': 'KE',
  '351': 'PT',
  '353': 'IE',
  '358': 'FI',
  '380': 'UA',
  '852': 'HK',
  '853': 'MO',
  '886': 'TW',
  '971': 'AE',
  '972': 'IL',
  '966': 'SA',
};

/** `16505550101` → `US`, `85291234567` → `HK` (longest calling code first). */
export const countryOf = (digits: string, fallback: string): string => {
  for (const length of [3, 2, 1]) {
    const country = byCallingCode[digits.slice(0, length)];
    if (country) {
      return country;
    }
  }
  return fallback;
};
