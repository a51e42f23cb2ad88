import type { Layer } from './layer.js';

/** A stored schedule layer: the pure-math layer plus its identity (JSON in `schedules.layers`). */
export interface StoredLayer extends Layer {
  id: string;
  name: string;
}

/**
 * Parses `schedules.layers`. Stored in PagerDuty's order: a later layer wins over an earlier one
 * where both have someone (the pure math's order too).
 */
export function parseLayers(json: string): StoredLayer[] {
  return JSON.parse(json) as StoredLayer[];
}
