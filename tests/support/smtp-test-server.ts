// A real SMTP server (smtp-server) on loopback for provider tests: AUTH PLAIN/LOGIN, optional
// STARTTLS (smtp-server's built-in self-signed certificate), every accepted message parsed
// with mailparser, connection counting (to see pooling), and SMTP-level faults: refuse a
// recipient with a chosen code, fail DATA, or drop the connection.
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  /** Envelope sender and recipients as given in MAIL FROM / RCPT TO. */
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
  /** Which SMTP connection carried it. */
  connectionId: string;
  user?: string;
}

export interface SmtpFault {
  /** SMTP reply code, e.g. 550 (permanent) or 451 (temporary). */
  code: number;
  message: string;
}

export interface SmtpTestServer {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** Ids of every connection opened so far. */
  connections: string[];
  /** Refuse RCPT TO for addresses matching `match` with this reply. */
  refuseRecipient(match: RegExp, fault: SmtpFault): void;
  /** The next DATA commands end with these replies instead of 250. */
  failNextData(...faults: SmtpFault[]): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startSmtpTestServer(opts: { users?: Record<string, string>; starttls?: boolean } = {}): Promise<SmtpTestServer> {
  const users = opts.users ?? { relay: 'secret' };
  const received: ReceivedMail[] = [];
  const connections: string[] = [];
  const recipientRules: { match: RegExp; fault: SmtpFault }[] = [];
  const dataFaults: SmtpFault[] = [];
  const smtpError = (f: SmtpFault) => Object.assign(new Error(f.message), { responseCode: f.code });

  const server = new SMTPServer({
    secure: false,
    // Without STARTTLS the test runs in clear text; AUTH over it needs allowInsecureAuth.
    disabledCommands: opts.starttls ? [] : ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    size: 25 * 1024 * 1024,
    logger: false,
    // close() waits for clients to hang up; tests should not wait long for a pooled client.
    closeTimeout: 1000,
    onConnect(session: SMTPServerSession, cb) {
      connections.push(session.id);
      cb();
    },
    onAuth(auth, _session, cb) {
      if (auth.username && users[auth.username] === auth.password) return cb(null, { user: auth.username });
      return cb(smtpError({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
    },
    onRcptTo(address, _session, cb) {
      const rule = recipientRules.find((r) => r.match.test(address.address));
      cb(rule ? smtpError(rule.fault) : null);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const fault = dataFaults.shift();
        if (fault) return cb(smtpError(fault));
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
              connectionId: session.id,
              user: session.user as string | undefined,
            });
            cb();
          })
          .catch((err: Error) => cb(err));
      });
    },
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;

  return {
    host: '127.0.0.1',
    port,
    received,
    connections,
    refuseRecipient: (match, fault) => recipientRules.push({ match, fault }),
    failNextData: (...faults) => dataFaults.push(...faults),
    reset() {
      received.length = 0;
      connections.length = 0;
      recipientRules.length = 0;
      dataFaults.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
