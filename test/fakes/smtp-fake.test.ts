import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpFake } from './smtp-fake.js';
import type { SmtpFake } from './smtp-fake.js';

// A bare SMTP client, so the test sees the server's exact reply codes.
async function open(fake: SmtpFake): Promise<{ say: (line: string) => Promise<number>; socket: Socket }> {
  const socket = connect(fake.port, fake.host);
  let buffer = '';
  let pending: ((code: number) => void) | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // A reply ends with a line "NNN text" (a hyphen after the code means more lines follow).
    const done = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffer);
    if (done && pending) {
      const resolve = pending;
      pending = undefined;
      buffer = '';
      resolve(Number(done[1]));
    }
  });
  const next = (): Promise<number> => new Promise((resolve) => (pending = resolve));
  const greeting = next();
  expect(await greeting).toBe(220);
  const say = (line: string): Promise<number> => {
    const reply = next();
    socket.write(`${line}\r\n`);
    return reply;
  };
  return { say, socket };
}

const message = [
  'From: Tocsin <tocsin@example.com>',
  'To: ana@example.com',
  'Subject: [Tocsin] Disk full on db-1',
  'Message-ID: <n-1@tocsin.test>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Disk full on db-1',
  '--b',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Disk full on <b>db-1</b></p>',
  '--b--',
  '.',
].join('\r\n');

async function send(fake: SmtpFake, auth?: string): Promise<number[]> {
  const { say, socket } = await open(fake);
  const codes = [await say('EHLO client.test')];
  if (auth) codes.push(await say(`AUTH PLAIN ${Buffer.from(auth).toString('base64')}`));
  codes.push(await say('MAIL FROM:<tocsin@example.com>'));
  codes.push(await say('RCPT TO:<ana@example.com>'));
  if (codes.at(-1) === 250) codes.push(await say('DATA'), await say(message));
  codes.push(await say('QUIT'));
  socket.destroy();
  return codes;
}

describe('smtp fake', () => {
  let fake: SmtpFake | undefined;
  afterEach(async () => fake?.stop());

  it('captures the envelope, Message-ID, subject, text and html of a message', async () => {
    fake = await startSmtpFake();
    expect(await send(fake)).toEqual([250, 250, 250, 354, 250, 221]);
    const mail = await fake.waitFor((m) => m.envelopeTo.includes('ana@example.com'), 2000);
    expect(mail).toMatchObject({
      envelopeFrom: 'tocsin@example.com',
      messageId: '<n-1@tocsin.test>',
      subject: '[Tocsin] Disk full on db-1',
      text: 'Disk full on db-1',
      html: '<p>Disk full on <b>db-1</b></p>',
    });
    expect(mail.headers['message-id']).toBe('<n-1@tocsin.test>');
  });

  it('waits for a message that arrives later, and times out when none matches', async () => {
    fake = await startSmtpFake();
    const waiting = fake.waitFor((m) => m.subject?.includes('db-1') === true, 2000);
    await send(fake);
    await expect(waiting).resolves.toMatchObject({ envelopeFrom: 'tocsin@example.com' });
    await expect(fake.waitFor(() => false, 50)).rejects.toThrow(/nothing matching arrived/);
  });

  it('accepts good credentials and rejects bad ones or none', async () => {
    fake = await startSmtpFake({ auth: { username: 'tocsin', password: 's3cret' } });
    expect(await send(fake, '\0tocsin\0s3cret')).toEqual([250, 235, 250, 250, 354, 250, 221]);
    expect((await send(fake, '\0tocsin\0wrong'))[1]).toBe(535);
    expect((await send(fake))[1]).toBe(530);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]?.user).toBe('tocsin');
  });

  it('answers a configured 4xx to RCPT for the given number of attempts', async () => {
    fake = await startSmtpFake();
    fake.fail({ at: 'rcpt', code: 451, times: 1 });
    expect((await send(fake))[2]).toBe(451);
    expect(await send(fake)).toEqual([250, 250, 250, 354, 250, 221]);
    expect(fake.messages).toHaveLength(1);
  });

  it('answers a configured 5xx to DATA and captures nothing until cleared', async () => {
    fake = await startSmtpFake();
    fake.fail({ at: 'data', code: 554 });
    expect(await send(fake)).toEqual([250, 250, 250, 354, 554, 221]);
    expect(await send(fake)).toEqual([250, 250, 250, 354, 554, 221]);
    expect(fake.messages).toHaveLength(0);
    fake.fail(null);
    expect((await send(fake))[4]).toBe(250);
  });
});
