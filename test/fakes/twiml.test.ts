import { describe, expect, it } from 'vitest';
import { parseXml, readTwiml } from './twiml.js';

describe('readTwiml', () => {
  it('reads <Say>, <Gather> (action, method, numDigits, prompts), <Message>, <Redirect> and <Hangup>', () => {
    const twiml = readTwiml(`<?xml version="1.0" encoding="UTF-8"?>
      <Response>
        <Say voice="alice">Incident 4 on Checkout &amp; Payments: disk full</Say>
        <Gather action="/twilio/voice/keys?n=1" method="post" numDigits="1">
          <Say>Press 1 to acknowledge, 2 to resolve.</Say>
        </Gather>
        <Redirect>/twilio/voice?repeat=1</Redirect>
        <Hangup/>
      </Response>`);
    expect(twiml.says).toEqual([
      'Incident 4 on Checkout & Payments: disk full',
      'Press 1 to acknowledge, 2 to resolve.',
    ]);
    expect(twiml.gather).toEqual({
      action: '/twilio/voice/keys?n=1',
      method: 'POST',
      numDigits: 1,
      says: ['Press 1 to acknowledge, 2 to resolve.'],
    });
    expect(twiml.redirect).toBe('/twilio/voice?repeat=1');
    expect(twiml.hangup).toBe(true);
    expect(readTwiml('<Response><Message><Body>ok &#x2713;</Body></Message></Response>').messages).toEqual([
      'ok ✓',
    ]);
  });

  it('rejects malformed XML and documents whose root is not <Response>', () => {
    expect(() => parseXml('<Response><Say>a < b</Say></Response>')).toThrow();
    expect(() => parseXml('<Response><Say>hi</Response>')).toThrow(/closes/);
    expect(() => parseXml('<Response>')).toThrow();
    expect(() => parseXml('<A/><B/>')).toThrow();
    expect(() => readTwiml('<Say>hi</Say>')).toThrow(/<Response>/);
  });
});
