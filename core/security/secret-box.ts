import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 1;

/**
 * Encrypts secrets at rest (provider API keys, connector passwords) with AES-256-GCM.
 * Layout: [version:1][iv:12][tag:16][ciphertext]. The key comes from PERSONAE_SECRET_KEY.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('the secret key must be at least 16 characters');
    // Any passphrase becomes a 256-bit key; a random 32-byte base64 value is recommended.
    this.key = createHash('sha256').update(secret).digest();
  }

  seal(value: unknown): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open<T = unknown>(sealed: Uint8Array): T {
    const buf = Buffer.from(sealed);
    if (buf[0] !== VERSION) throw new Error('unknown secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(1, 13));
    decipher.setAuthTag(buf.subarray(13, 29));
    const plain = Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}
