import type { WriteTx } from '../../store/write-task.js';
import { e164 } from './twilio-client.js';

/** A live contact method of a live user reached at a number. */
export interface NumberContact {
  id: string;
  user_id: string;
  enabled: number;
  /** When Tocsin last sent something to it (to pick the person when several share a number). */
  last_sent: string | null;
}

/**
 * The live contact methods of one type whose E.164 number (`+<country code><address>`) is `number`,
 * most recently notified first. Addresses are stored without the country code (1 to 3 digits), so
 * the candidates are the number's last digits, checked against their country code.
 */
export async function contactsAtNumber(
  tx: WriteTx,
  type: 'sms_contact_method' | 'phone_contact_method',
  number: string,
): Promise<NumberContact[]> {
  if (!/^\+\d{5,16}$/.test(number)) return [];
  const digits = number.slice(1);
  const rows = await tx.raw.all<NumberContact & { address: string; details: string }>(
    `SELECT c.id, c.user_id, c.enabled, c.address, c.details,
       (SELECT MAX(n.delivered_at) FROM notifications n WHERE n.contact_method_id = c.id) AS last_sent
     FROM contact_methods c JOIN users u ON u.id = c.user_id
     WHERE c.type = ? AND c.deleted_at IS NULL AND u.deleted_at IS NULL AND c.address IN (?, ?, ?, ?)
     ORDER BY c.created_at, c.id`,
    [type, digits.slice(1), digits.slice(2), digits.slice(3), number],
  );
  return rows
    .filter(
      (r) =>
        e164({ address: r.address, details: JSON.parse(r.details) as Record<string, unknown> }) === number,
    )
    .map((r) => ({ id: r.id, user_id: r.user_id, enabled: Number(r.enabled), last_sent: r.last_sent }))
    .sort((a, b) => (b.last_sent ?? '').localeCompare(a.last_sent ?? ''));
}
