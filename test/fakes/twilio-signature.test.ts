import { describe, expect, it } from 'vitest';
import { isValidTwilioSignature, twilioSignature } from './twilio-signature.js';

// The worked example of Twilio's request-validation docs: auth token 12345, this URL, these fields.
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const fields = (caller: string) => ({
  CallSid: 'CA1234567890ABCDE',
  Caller: caller,
  Digits: '1234',
  From: caller,
  To: '+18005551212',
});

describe('twilioSignature', () => {
  it("matches the signatures of Twilio's documented example (both published caller numbers)", () => {
    expect(twilioSignature('12345', url, fields('+14158675309'))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(twilioSignature('12345', url, fields('+14158675310'))).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('does not depend on the order the fields come in', () => {
    const reversed = Object.fromEntries(Object.entries(fields('+14158675309')).reverse());
    expect(twilioSignature('12345', url, reversed)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('signs a GET (no body) over the URL alone', () => {
    expect(twilioSignature('12345', url)).toBe(twilioSignature('12345', url, {}));
    expect(twilioSignature('12345', url)).not.toBe(twilioSignature('12345', `${url}&x=1`));
  });

  it('validates the right signature and rejects a tampered field, URL, token or a missing header', () => {
    const good = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
    const f = fields('+14158675309');
    expect(isValidTwilioSignature('12345', good, url, f)).toBe(true);
    expect(isValidTwilioSignature('12345', good, url, { ...f, Digits: '9' })).toBe(false);
    expect(isValidTwilioSignature('12345', good, 'http://mycompany.com/myapp.php?foo=1&bar=2', f)).toBe(
      false,
    );
    expect(isValidTwilioSignature('54321', good, url, f)).toBe(false);
    expect(isValidTwilioSignature('12345', undefined, url, f)).toBe(false);
  });
});
