// A local SMTP server (the real `smtp-server` protocol engine) that captures every message.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream } from 'smtp-server';
import { Recorder } from './recorder.js';

/** One message as the fake received it: envelope, parsed headers and bodies, raw source. */
export interface CapturedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  /** The user that authenticated the session, when AUTH is on. */
  user: string | undefined;
  messageId: string | undefined;
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  /** Header values by lower-case name (the last one wins when a header repeats). */
  headers: Record<string, string>;
  raw: string;
}

/** Makes the server answer an SMTP error at a stage, for `times` attempts (forever if omitted). */
export interface SmtpFault {
  at: 'rcpt' | 'data';
  /** A 4xx (temporary) or 5xx (permanent) reply code. */
  code: number;
  message?: string;
  times?: number;
}

/** Settings of the fake: with `auth`, AUTH PLAIN/LOGIN is required and checked. */
export interface SmtpFakeOptions {
  auth?: { username: string; password: string };
}

/** A running fake SMTP server. */
export interface SmtpFake {
  host: string;
  port: number;
  messages: CapturedMail[];
  /** Resolves with the first message (already captured or arriving) that matches. */
  waitFor(predicate: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  /** Sets (or clears with null) the fault the server answers with. */
  fail(fault: SmtpFault | null): void;
  stop(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startSmtpFake(options: SmtpFakeOptions = {}): Promise<SmtpFake> {
  const recorder = new Recorder<CapturedMail>();
  let fault: SmtpFault | null = null;

  // Consumes one attempt of the fault at this stage and returns the error to answer, if any.
  const faultAt = (stage: SmtpFault['at']): Error | null => {
    if (fault?.at !== stage) return null;
    const { code, message } = fault;
    if (fault.times !== undefined && --fault.times <= 0) fault = null;
    return smtpError(code, message ?? (code < 500 ? 'Try again later' : 'Rejected'));
  };

  const auth = options.auth;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    closeTimeout: 500,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.username && credentials.password === auth.password) {
        callback(null, { user: credentials.username });
      } else {
        callback(smtpError(535, 'Authentication credentials invalid'));
      }
    },
    onRcptTo(_address, _session, callback) {
      callback(faultAt('rcpt'));
    },
    onData(stream, session, callback) {
      readAll(stream).then(
        async (raw) => {
          const error = faultAt('data');
          if (error) return callback(error);
          const parsed = await simpleParser(raw);
          const headers: Record<string, string> = {};
          for (const { key, line } of parsed.headerLines) {
            headers[key] = line.slice(line.indexOf(':') + 1).trim();
          }
          const envelopeFrom = session.envelope.mailFrom;
          const mail: CapturedMail = {
            envelopeFrom: envelopeFrom ? envelopeFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((a) => a.address),
            user: typeof session.user === 'string' ? session.user : undefined,
            messageId: parsed.messageId,
            subject: parsed.subject,
            text: parsed.text,
            html: typeof parsed.html === 'string' ? parsed.html : undefined,
            headers,
            raw: raw.toString('utf8'),
          };
          recorder.push(mail);
          callback();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    messages: recorder.items,
    waitFor: (predicate, timeoutMs) => recorder.waitFor(predicate, timeoutMs),
    fail(next) {
      fault = next ? { ...next } : null;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
