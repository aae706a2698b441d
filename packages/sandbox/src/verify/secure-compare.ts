import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time string comparison: both sides are hashed first, so their lengths leak nothing either. */
export const secureEqual = (left: string | Buffer, right: string | Buffer): boolean => {
  const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(left), digest(right));
};
