/** A schedule layer body (PagerDuty shape) for the given users. */
export function layerBody(users: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    start: '2026-01-01T00:00:00Z',
    rotation_virtual_start: '2026-01-05T09:00:00Z',
    rotation_turn_length_seconds: 86400,
    users: users.map((id) => ({ user: { id, type: 'user_reference' } })),
    ...extra,
  };
}
