import isEmail from 'validator/lib/isEmail';

export type EmailCheck = { ok: true; email: string; normalized: string } | { ok: false; message: string };

/**
 * Checks syntax and derives the identity used for deduplication: trimmed, Unicode NFC,
 * lower-cased. Lower-casing the local part is technically lossy (RFC 5321 lets servers
 * treat it case-sensitively) but no mainstream mailbox does, and duplicate contacts that
 * differ only by case are a far more common problem. Provider-specific rewrites (Gmail
 * dots, +tags) are not applied: they would merge people who chose distinct addresses.
 */
export function checkEmail(raw: unknown): EmailCheck {
  if (typeof raw !== 'string') return { ok: false, message: 'must be a string' };
  const email = raw.trim().normalize('NFC');
  if (!email) return { ok: false, message: 'is empty' };
  if (email.length > 254) return { ok: false, message: 'is longer than 254 characters' };
  if (!isEmail(email, { allow_utf8_local_part: true, require_tld: true, allow_ip_domain: false })) {
    return { ok: false, message: `"${email}" is not a valid email address` };
  }
  return { ok: true, email, normalized: email.toLowerCase() };
}

/** Normalises a known-valid address (for lookups such as suppressions). */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}
