// The request checks of SendGrid's v3 POST /v3/mail/send, with its error messages and fields
// (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors), for the loopback fake.

export interface SgError {
  field: string | null;
  message: string;
  help?: string | null;
}

export interface SgAddress {
  email: string;
  name?: string;
}

export interface SgPersonalization {
  to: SgAddress[];
  cc?: SgAddress[];
  bcc?: SgAddress[];
  from?: SgAddress;
  subject?: string;
  headers?: Record<string, string>;
  substitutions?: Record<string, string>;
  custom_args?: Record<string, string>;
  send_at?: number;
}

export interface SgMailBody {
  personalizations: SgPersonalization[];
  from: SgAddress;
  reply_to?: SgAddress;
  subject?: string;
  content?: { type: string; value: string }[];
  template_id?: string;
  headers?: Record<string, string>;
  categories?: string[];
  custom_args?: Record<string, string>;
  send_at?: number;
  tracking_settings?: unknown;
  mail_settings?: unknown;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const RESERVED_HEADERS = new Set([
  'x-sg-id', 'x-sg-eid', 'received', 'dkim-signature', 'content-type', 'content-transfer-encoding', 'to', 'from', 'subject', 'reply-to', 'cc', 'bcc',
]);
const MAX_PERSONALIZATIONS = 1000;
const MAX_RECIPIENTS = 1000;
const MAX_CUSTOM_ARGS_BYTES = 10_000;
const MAX_CATEGORIES = 10;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every problem with a mail/send body (empty when SendGrid would accept it). */
export function validateMailSend(body: unknown): SgError[] {
  const errors: SgError[] = [];
  const err = (field: string | null, message: string) => errors.push({ field, message, help: null });
  if (!isObject(body)) {
    err(null, 'Bad Request');
    return errors;
  }
  const b = body as unknown as SgMailBody;

  if (!Array.isArray(b.personalizations) || !b.personalizations.length) {
    err('personalizations', 'The personalizations field is required and must have at least one personalization.');
  } else if (b.personalizations.length > MAX_PERSONALIZATIONS) {
    err('personalizations', `The personalization block is limited to 1000 personalizations per API request. You have provided ${b.personalizations.length} personalizations. Please consider splitting this into multiple requests and resending your request.`);
  } else {
    let recipients = 0;
    b.personalizations.forEach((p, i) => {
      const at = `personalizations.${i}`;
      if (!isObject(p)) return err(at, 'Each personalization must be an object.');
      if (!Array.isArray(p.to) || !p.to.length) err(`${at}.to`, 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.');
      const seen = new Set<string>();
      for (const kind of ['to', 'cc', 'bcc'] as const) {
        const list = p[kind];
        if (list === undefined) continue;
        if (!Array.isArray(list)) {
          err(`${at}.${kind}`, `Invalid type. Expected: array, given: ${typeof list}.`);
          continue;
        }
        list.forEach((a, j) => {
          recipients++;
          if (!isObject(a) || typeof a.email !== 'string' || !EMAIL.test(a.email)) {
            err(`${at}.${kind}.${j}.email`, 'Does not contain a valid address.');
            return;
          }
          const key = a.email.toLowerCase();
          if (seen.has(key)) err(`${at}.${kind}`, `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${a.email}] in the ${at}.${kind} field.`);
          seen.add(key);
        });
      }
      if (p.subject !== undefined && (typeof p.subject !== 'string' || !p.subject.length)) err(`${at}.subject`, 'The subject of your email must be a string at least one character in length.');
      checkHeaders(p.headers, `${at}.headers`, err);
      checkStringMap(p.custom_args, `${at}.custom_args`, err);
      checkSendAt(p.send_at, `${at}.send_at`, err);
      if (byteSize(b.custom_args) + byteSize(p.custom_args) > MAX_CUSTOM_ARGS_BYTES) err(`${at}.custom_args`, 'The custom arguments must not exceed 10,000 bytes.');
    });
    if (recipients > MAX_RECIPIENTS) err('personalizations', 'There is a limit of 1000 total recipients (to + cc + bcc) per request.');
    const everyHasSubject = b.personalizations.every((p) => isObject(p) && typeof p.subject === 'string' && p.subject.length > 0);
    if (!b.template_id && !everyHasSubject && (typeof b.subject !== 'string' || !b.subject.length)) {
      err('subject', 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.');
    }
  }

  if (!isObject(b.from) || typeof b.from.email !== 'string') {
    err('from', 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.');
  } else if (!EMAIL.test(b.from.email)) {
    err('from.email', 'The from email does not contain a valid address.');
  }
  if (b.reply_to !== undefined && (!isObject(b.reply_to) || typeof b.reply_to.email !== 'string' || !EMAIL.test(b.reply_to.email))) {
    err('reply_to.email', 'The reply_to email does not contain a valid address.');
  }

  if (!b.template_id) {
    if (!Array.isArray(b.content) || !b.content.length) {
      err('content', 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.');
    } else {
      b.content.forEach((c, i) => {
        if (!isObject(c) || typeof c.type !== 'string' || !c.type.length) err(`content.${i}.type`, 'The content type cannot contain ";", or CRLF characters, and must be at least one character.');
        else if (typeof c.value !== 'string' || !c.value.length) err(`content.${i}.value`, 'The content value must be a string at least one character in length.');
      });
      const plain = b.content.findIndex((c) => isObject(c) && c.type === 'text/plain');
      const html = b.content.findIndex((c) => isObject(c) && c.type === 'text/html');
      if ((plain > 0) || (html >= 0 && plain > html)) err('content', 'If present, text/plain must be first, followed by text/html, followed by any other content.');
    }
  }

  checkHeaders(b.headers, 'headers', err);
  checkStringMap(b.custom_args, 'custom_args', err);
  checkSendAt(b.send_at, 'send_at', err);
  if (b.categories !== undefined) {
    if (!Array.isArray(b.categories)) err('categories', 'Invalid type. Expected: array.');
    else {
      if (b.categories.length > MAX_CATEGORIES) err('categories', 'Too many categories. You can only have up to 10 categories per request.');
      if (b.categories.some((c) => typeof c !== 'string' || c.length > 255)) err('categories', 'A category cannot have more than 255 characters.');
      if (new Set(b.categories).size !== b.categories.length) err('categories', 'The categories must be unique.');
    }
  }
  return errors;
}

function checkHeaders(headers: unknown, field: string, err: (f: string, m: string) => void) {
  if (headers === undefined) return;
  if (!isObject(headers)) return err(field, 'Invalid type. Expected: object.');
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') err(`${field}.${name}`, `Invalid type. Expected: string, given: ${typeof value}.`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) err(field, `The following header is reserved and cannot be used: ${name}`);
    if (/[\r\n]/.test(String(value))) err(`${field}.${name}`, 'Header values cannot contain CRLF characters.');
  }
}

function checkStringMap(map: unknown, field: string, err: (f: string, m: string) => void) {
  if (map === undefined) return;
  if (!isObject(map)) return err(field, 'Invalid type. Expected: object.');
  for (const [k, v] of Object.entries(map)) if (typeof v !== 'string') err(`${field}.${k}`, `Invalid type. Expected: string, given: ${typeof v}.`);
}

function checkSendAt(sendAt: unknown, field: string, err: (f: string, m: string) => void) {
  if (sendAt === undefined) return;
  if (typeof sendAt !== 'number' || !Number.isInteger(sendAt)) return err(field, 'Invalid type. Expected: integer.');
  if (sendAt > Date.now() / 1000 + 72 * 3600) err(field, 'The send_at parameter must not be more than 72 hours in the future.');
}

function byteSize(v: unknown): number {
  return v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v));
}
