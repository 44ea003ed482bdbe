// Signed tokens in tracking and unsubscribe URLs. A token names a message (and, for a click,
// the hash of one URL that message contained) and carries a truncated HMAC-SHA256, so it
// cannot be forged or altered: the click redirect can only go to a URL we put in the message.
//
// Layout (base64url): version(1) kind(1) keyId(2) messageId(8) [urlHash(16)] mac(16).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CoreContext } from '../context';
import { currentTrackingKey, trackingKeyById } from './tracking-keys';

const VERSION = 1;
const MAC_BYTES = 16;
export const URL_HASH_BYTES = 16;

export type TokenKind = 'open' | 'click' | 'unsubscribe';
const KIND_CODE: Record<TokenKind, number> = { open: 1, click: 2, unsubscribe: 3 };
const CODE_KIND = new Map(Object.entries(KIND_CODE).map(([k, v]) => [v, k as TokenKind]));

export interface TokenClaims {
  kind: TokenKind;
  messageId: bigint;
  /** Hex URL hash (click tokens). */
  urlHash?: string;
}

function mac(secret: Buffer, payload: Buffer): Buffer {
  return createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES);
}

/** Builds a synchronous signer bound to the current key (the renderer decorates links synchronously). */
export async function tokenSigner(core: CoreContext): Promise<(claims: TokenClaims) => string> {
  const key = await currentTrackingKey(core);
  return (claims) => {
    const hash = claims.urlHash ? Buffer.from(claims.urlHash, 'hex') : null;
    const payload = Buffer.alloc(12 + (hash ? URL_HASH_BYTES : 0));
    payload.writeUInt8(VERSION, 0);
    payload.writeUInt8(KIND_CODE[claims.kind], 1);
    payload.writeUInt16BE(key.id, 2);
    payload.writeBigUInt64BE(claims.messageId, 4);
    if (hash) hash.copy(payload, 12);
    return Buffer.concat([payload, mac(key.secret, payload)]).toString('base64url');
  };
}

/** The claims of a genuine token of `kind`, or null for anything malformed, unknown or tampered. */
export async function verifyToken(core: CoreContext, token: string, kind: TokenKind): Promise<TokenClaims | null> {
  if (!/^[A-Za-z0-9_-]{20,120}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  const expected = 12 + (kind === 'click' ? URL_HASH_BYTES : 0) + MAC_BYTES;
  if (raw.length !== expected || raw.readUInt8(0) !== VERSION || CODE_KIND.get(raw.readUInt8(1)) !== kind) return null;
  const payload = raw.subarray(0, raw.length - MAC_BYTES);
  const key = await trackingKeyById(core, payload.readUInt16BE(2));
  if (!key || !timingSafeEqual(mac(key.secret, payload), raw.subarray(raw.length - MAC_BYTES))) return null;
  return {
    kind,
    messageId: payload.readBigUInt64BE(4),
    ...(kind === 'click' ? { urlHash: payload.subarray(12).toString('hex') } : {}),
  };
}
