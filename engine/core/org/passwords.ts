/**
 * Password hashes: scrypt (RFC 7914) with a random salt, stored with its
 * parameters (`scrypt$N$r$p$salt$hash`) so the cost can rise without breaking
 * old hashes. Compared in constant time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const COST = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

const derive = (password: string, salt: Buffer, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(N), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Work done for an unknown username too, so timing does not tell which usernames exist. */
export const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** At least 8 characters with letters and digits: what government security rules ask at the minimum. */
export function passwordProblem(password: string): { 'zh-CN': string; en: string } | null {
  if (password.length < 8) return { 'zh-CN': '密码至少 8 位', en: 'must be at least 8 characters' };
  if (password.length > 128) return { 'zh-CN': '密码最多 128 位', en: 'must be at most 128 characters' };
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return { 'zh-CN': '密码须同时包含字母和数字', en: 'must contain letters and digits' };
  return null;
}
