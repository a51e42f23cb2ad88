import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigError } from '../../src/config/config.js';

describe('Twilio settings', () => {
  const full = {
    TOCSIN_TWILIO_ACCOUNT_SID: 'AC123',
    TOCSIN_TWILIO_AUTH_TOKEN: 'secret',
    TOCSIN_TWILIO_FROM: '+15559990000',
  };

  it('are off unless set, and default to api.twilio.com', () => {
    expect(loadConfig({}).twilio).toBeUndefined();
    expect(loadConfig(full).twilio).toEqual({
      baseUrl: 'https://api.twilio.com',
      accountSid: 'AC123',
      authToken: 'secret',
      from: '+15559990000',
    });
  });

  it('must be set together, with an E.164 sender', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ TOCSIN_TWILIO_ACCOUNT_SID: 'AC123' })).toEqual([
      'TOCSIN_TWILIO_ACCOUNT_SID, TOCSIN_TWILIO_AUTH_TOKEN and TOCSIN_TWILIO_FROM must be set together',
    ]);
    expect(problems({ ...full, TOCSIN_TWILIO_FROM: '5550100' })).toEqual([
      'TOCSIN_TWILIO_FROM must be an E.164 number like +15550100 (got "5550100")',
    ]);
    expect(problems({ ...full, TOCSIN_TWILIO_BASE_URL: 'ftp://x' })).toHaveLength(1);
  });
});
