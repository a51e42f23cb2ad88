import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { ProviderError, type OutboundMessage, type Provider } from '../provider.js';

/** Email settings: an SMTP URL (`smtp://user:pass@host:port`, `smtps://…`) and the sender. */
export interface EmailSettings {
  url: string;
  from: string;
  /** Milliseconds for connecting, the greeting and each socket wait. */
  timeoutMs?: number;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The subject, text and HTML of an email notification. */
export function emailContent(m: OutboundMessage): { subject: string; text: string; html: string } {
  const i = m.incident;
  const subject = i ? `[Tocsin] #${i.number} ${i.title} (${i.service}, ${i.urgency})` : `[Tocsin] ${m.text}`;
  const lines = i
    ? [
        m.reason === 'unassigned_fallback'
          ? 'Nobody is on call for this incident.'
          : 'You are assigned an incident.',
        '',
        `Incident: #${i.number} ${i.title}`,
        `Service:  ${i.service}`,
        `Urgency:  ${i.urgency}`,
        `Status:   ${i.status}`,
        `Details:  ${i.url}`,
        ...(m.actions
          ? ['', `Acknowledge: ${m.actions.acknowledgeUrl}`, `Resolve:     ${m.actions.resolveUrl}`]
          : []),
      ]
    : [m.text];
  const html = i
    ? `<p>${escapeHtml(lines[0]!)}</p><table>` +
      [
        ['Incident', `#${i.number} ${i.title}`],
        ['Service', i.service],
        ['Urgency', i.urgency],
        ['Status', i.status],
      ]
        .map(([k, v]) => `<tr><th align="left">${k}</th><td>${escapeHtml(v!)}</td></tr>`)
        .join('') +
      `</table><p><a href="${escapeHtml(i.url)}">Open the incident</a></p>` +
      (m.actions
        ? `<p><a href="${escapeHtml(m.actions.acknowledgeUrl)}">Acknowledge</a> · <a href="${escapeHtml(m.actions.resolveUrl)}">Resolve</a></p>`
        : '')
    : `<p>${escapeHtml(m.text)}</p>`;
  return { subject, text: lines.join('\n'), html };
}

/**
 * Email over SMTP (nodemailer). The Message-ID is the notification's idempotency key, so a retried
 * message is recognisably the same one. SMTP 5xx answers are permanent (no retry); 4xx answers,
 * timeouts and connection errors are retried.
 */
export function emailProvider(settings: EmailSettings): Provider {
  const timeout = settings.timeoutMs ?? 10_000;
  // Pooled: a new SMTP session per message costs ~100 ms of greeting and handshake (measured).
  const options: SMTPTransport.Options & { pool: true; maxConnections: number } = {
    pool: true,
    maxConnections: 5,
    url: settings.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  };
  const transport = nodemailer.createTransport(options);
  return {
    name: 'smtp',
    close: () => transport.close(),
    send: async (message) => {
      const content = emailContent(message);
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: message.contact.address,
          messageId: `<${message.idempotencyKey}>`,
          ...content,
        });
        return { status: 'delivered', providerRef: info.messageId };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const text = error instanceof Error ? error.message : String(error);
        throw new ProviderError(`SMTP: ${text}`, !(code !== undefined && code >= 500));
      }
    },
  };
}
