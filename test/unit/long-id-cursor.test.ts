import { describe, expect, it } from 'vitest';
import { longId, longIdFloor, longIdTime, shortId } from '../../src/lib/ids.js';

describe('long ids as a time cursor', () => {
  it('reads back the millisecond an id was made at', () => {
    const before = Date.now();
    const id = longId();
    const at = longIdTime(id)!;
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('puts the floor of a time at or below every id made from then on', () => {
    const floor = longIdFloor(Date.now() - 1);
    const ids = Array.from({ length: 50 }, () => longId());
    for (const id of ids) expect(id > floor).toBe(true);
    expect(longIdFloor(longIdTime(ids[0]!)!) <= ids[0]!).toBe(true);
  });

  it('puts the floor of a later time above ids made earlier', () => {
    const id = longId();
    expect(longIdFloor(longIdTime(id)! + 1) > id).toBe(true);
  });

  it('has no time for other ids', () => {
    expect(longIdTime(shortId())).toBeUndefined();
    expect(longIdTime('')).toBeUndefined();
    expect(longIdTime('Q!!!!!!!!!00000')).toBeUndefined();
  });
});
