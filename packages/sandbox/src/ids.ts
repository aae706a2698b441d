import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const digits = (count: number) =>
  Array.from({ length: count }, (_, index) => randomInt(index === 0 ? 1 : 0, 10)).join('');

/** Identifiers shaped like each provider's, fresh per server (integer ids count up from a random base). */
export const createIds = () => {
  let integer = randomInt(400_000_000, 500_000_000);
  const nextInteger = () => {
    integer += 1;
    return integer;
  };
  return {
    /** `SM` + 32 hex: a Twilio Message SID. */
    twilioMessageSid: () => `SM${hex(16)}`,
    twilioRequestId: () => `RQ${hex(16)}`,
    /** Aliyun BizId, e.g. `900619746936498440^0`. */
    aliyunBizId: () => `${digits(18)}^0`,
    aliyunRequestId: () => randomUUID().toUpperCase(),
    /** Tencent SerialNo, e.g. `2433:104571066915705365784949961`. */
    tencentSerialNo: () => `2433:${digits(28)}`,
    tencentRequestId: () => randomUUID(),
    httpMessageId: () => `sandbox-${randomUUID()}`,
    /** SMSAero and GatewayAPI ids are integers. */
    integerId: nextInteger,
    /** Vonage message-id: 16 uppercase hex digits. */
    vonageMessageId: () => hex(8).toUpperCase(),
    uuid: () => randomUUID(),
  };
};

export type Ids = ReturnType<typeof createIds>;
