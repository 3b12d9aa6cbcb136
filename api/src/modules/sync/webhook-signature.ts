import { createHmac, timingSafeEqual } from 'node:crypto';

/** X-Gitee-Token in signature mode: base64(HMAC-SHA256(secret, timestamp + "\n" + secret)). */
export function giteeTokenFor(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Which form of X-Gitee-Token this is: the signature over the timestamp, the plain password
 * (Gitee's other mode), or neither. Both comparisons take constant time.
 */
export function verifyGiteeToken(secret: string, timestamp: string, token: string): 'signature' | 'password' | null {
  if (!secret || !token) return null;
  if (same(token, giteeTokenFor(secret, timestamp))) return 'signature';
  if (same(token, secret)) return 'password';
  return null;
}
