import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

/** Sends a password reset link to an address. */
export type ResetMailer = (to: string, link: string) => Promise<void>;

/** The email of a reset link. */
export function resetEmail(link: string): { subject: string; text: string } {
  return {
    subject: '[Tocsin] Reset your password',
    text: [
      'Someone (hopefully you) asked to reset your Tocsin password.',
      '',
      `Choose a new password here (the link works once, for one hour): ${link}`,
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  };
}

/**
 * Sends reset links through the SMTP server of TOCSIN_SMTP_URL (the server email notifications use),
 * or, when email is not configured, writes the link to the log so an operator can pass it on.
 */
export function resetMailer(
  settings: { smtpUrl?: string | undefined; emailFrom?: string | undefined },
  logger: Pick<Logger, 'info'>,
): ResetMailer {
  const { smtpUrl } = settings;
  if (!smtpUrl)
    return (to, link) => {
      logger.info({ to, link }, `password reset link (email is not configured): ${link}`);
      return Promise.resolve();
    };
  const from = settings.emailFrom ?? 'Tocsin <tocsin@localhost>';
  return async (to, link) => {
    // Resets are rare: a transport per message, closed after it, holds no connection open.
    const transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      socketTimeout: 10_000,
    });
    try {
      await transport.sendMail({ from, to, ...resetEmail(link) });
    } finally {
      transport.close();
    }
  };
}
