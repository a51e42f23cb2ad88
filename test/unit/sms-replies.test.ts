import { describe, expect, it } from 'vitest';
import { parseSmsReply } from '../../src/notify/twilio/sms-replies.js';
import { smsBody } from '../../src/notify/twilio/sms-text.js';
import type { OutboundMessage } from '../../src/notify/provider.js';

describe('SMS replies', () => {
  it.each([
    ['12a', { kind: 'one', verb: 'acknowledge', number: 12 }],
    ['12 A', { kind: 'one', verb: 'acknowledge', number: 12 }],
    ["'12a'", { kind: 'one', verb: 'acknowledge', number: 12 }],
    ['"12r"  ', { kind: 'one', verb: 'resolve', number: 12 }],
    ['12c', { kind: 'one', verb: 'resolve', number: 12 }],
    ['ack 12', { kind: 'one', verb: 'acknowledge', number: 12 }],
    ['ACK198  ', { kind: 'one', verb: 'acknowledge', number: 198 }],
    ['Resolve #4', { kind: 'one', verb: 'resolve', number: 4 }],
    ['close 4', { kind: 'one', verb: 'resolve', number: 4 }],
    ['aa', { kind: 'all', verb: 'acknowledge' }],
    ['100aa', { kind: 'all', verb: 'acknowledge' }],
    ['RR', { kind: 'all', verb: 'resolve' }],
    ['a', { kind: 'last', verb: 'acknowledge' }],
    ['Ack.', { kind: 'last', verb: 'acknowledge' }],
    ['c', { kind: 'last', verb: 'resolve' }],
    ['STOP', { kind: 'stop' }],
    ['stop all', { kind: 'stop' }],
    ['Unsubscribe', { kind: 'stop' }],
    ['start', { kind: 'start' }],
    ['UNSTOP', { kind: 'start' }],
    ['what?', { kind: 'help' }],
    ['12x', { kind: 'help' }],
    ['', { kind: 'help' }],
  ])('reads %j', (body, command) => {
    expect(parseSmsReply(body)).toEqual(command);
  });
});

describe('SMS bodies', () => {
  const base: OutboundMessage = {
    notificationId: 'n1',
    idempotencyKey: 'n1@tocsin',
    reason: 'assigned',
    contact: { type: 'sms_contact_method', address: '5550100', details: { country_code: 1 } },
    user: { id: 'u', name: 'Alice', email: 'a@example.com' },
    text: 'On call now',
  };

  it('words a bundle with the codes that act on all', () => {
    const bundle = [12, 13, 14].map((n) => ({ id: `i${n}`, number: n, title: `T${n}`, service: 'Checkout' }));
    expect(smsBody({ ...base, bundle })).toBe(
      '3 new incidents: #12 T12 (Checkout); #13 T13 (Checkout); #14 T14 (Checkout). Reply aa to ack all, rr to resolve all',
    );
  });

  it("keeps a long bundle under Twilio's 1600 characters", () => {
    const bundle = Array.from({ length: 60 }, (_, n) => ({
      id: `i${n}`,
      number: n,
      title: 'x'.repeat(100),
      service: 'Checkout',
    }));
    const body = smsBody({ ...base, bundle });
    expect(body.length).toBeLessThanOrEqual(1600);
    expect(body.endsWith('Reply aa to ack all, rr to resolve all')).toBe(true);
  });

  it('sends a handoff notice as its text', () => {
    expect(smsBody(base)).toBe('On call now');
  });
});
