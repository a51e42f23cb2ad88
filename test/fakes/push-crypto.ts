// The receiving side of Web Push: VAPID (RFC 8292) checks and aes128gcm decryption (RFC 8291, RFC 8188).
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import type { ECDH } from 'node:crypto';

/** A subscription's user-agent keys: the P-256 key pair (p256dh) and the 16-byte auth secret. */
export interface UserAgentKeys {
  ecdh: ECDH;
  publicKey: Buffer;
  authSecret: Buffer;
}

/** The VAPID identity a push was sent with. */
export interface VapidClaims {
  subject: string;
  publicKey: string;
  expiresAt: Date;
}

/** A refused push: 401 when VAPID is missing, 403 when it is invalid (RFC 8292 §4), 400 for a bad request. */
export class PushRejection extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Makes the keys a browser makes when it subscribes. */
export function createUserAgentKeys(): UserAgentKeys {
  const ecdh = createECDH('prime256v1');
  return { ecdh, publicKey: ecdh.generateKeys(), authSecret: randomBytes(16) };
}

const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer =>
  Buffer.from(hkdfSync('sha256', ikm, salt, info, length));

/** Decrypts an `aes128gcm` Web Push body; throws on a bad header, key, tag or padding. */
export function decryptWebPush(body: Buffer, keys: UserAgentKeys): Buffer {
  // Header (RFC 8188 §2.1): salt(16) | record size(4) | key id length(1) | key id = sender's public key.
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const senderKey = body.subarray(21, 21 + body[20]!);
  if (senderKey.length !== 65 || recordSize < 18) throw new Error('bad aes128gcm header');
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.publicKey, senderKey]);
  const ikm = hkdf(keys.ecdh.computeSecret(senderKey), keys.authSecret, keyInfo, 32);
  const cek = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const baseNonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12);
  const parts: Buffer[] = [];
  for (let offset = 21 + senderKey.length, seq = 0; offset < body.length; offset += recordSize, seq++) {
    const record = body.subarray(offset, offset + recordSize);
    const nonce = Buffer.from(baseNonce);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(-16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, -16)), decipher.final()]);
    // Padding: a delimiter (2 in the last record, 1 before) then zeros.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const last = offset + recordSize >= body.length;
    if (plain[end] !== (last ? 2 : 1)) throw new Error('bad record padding delimiter');
    parts.push(plain.subarray(0, end));
  }
  return Buffer.concat(parts);
}

/** Checks an `Authorization: vapid t=<jwt>, k=<key>` header for this push service origin. */
export function verifyVapid(header: string | undefined, audience: string, now = new Date()): VapidClaims {
  const match = /^vapid\s+(.*)$/i.exec(header ?? '');
  if (!match) throw new PushRejection(401, 'missing VAPID authorization');
  const params = Object.fromEntries(
    match[1]!.split(',').map((p) => p.trim().split('=', 2) as [string, string]),
  );
  const [encodedHeader, encodedClaims, signature] = (params.t ?? '').split('.');
  const k = Buffer.from(params.k ?? '', 'base64url');
  if (!encodedHeader || !encodedClaims || !signature || k.length !== 65 || k[0] !== 4) {
    throw new PushRejection(403, 'malformed VAPID token or key');
  }
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: k.subarray(1, 33).toString('base64url'),
    y: k.subarray(33).toString('base64url'),
  };
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
  const head = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString()) as { alg?: string };
  const signatureBytes = Buffer.from(signature, 'base64url');
  if (head.alg !== 'ES256' || !verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signatureBytes)) {
    throw new PushRejection(403, 'VAPID signature does not verify with k');
  }
  const claims = JSON.parse(Buffer.from(encodedClaims, 'base64url').toString()) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  const seconds = now.getTime() / 1000;
  if (claims.aud !== audience) throw new PushRejection(403, `VAPID aud ${claims.aud} is not ${audience}`);
  if (typeof claims.exp !== 'number' || claims.exp <= seconds || claims.exp > seconds + 24 * 3600) {
    throw new PushRejection(403, 'VAPID exp must be in the future and within 24 hours');
  }
  if (!/^(mailto:|https:)/.test(claims.sub ?? ''))
    throw new PushRejection(403, 'VAPID sub must be a mailto: or https: URL');
  return { subject: claims.sub!, publicKey: params.k!, expiresAt: new Date(claims.exp * 1000) };
}
