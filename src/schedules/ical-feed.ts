/**
 * iCalendar (RFC 5545) text of on-call shifts. Library decision: ical-generator (maintained, no
 * dependencies, Node 20 supported by 10.x) writes CRLF lines, folds them at 75 octets and escapes
 * text, which are the parts that are easy to get subtly wrong by hand.
 */
import ical, { ICalCalendarMethod } from 'ical-generator';

/** One shift in a feed: who, on which schedule, over [start, end) in epoch milliseconds. */
export interface FeedShift {
  scheduleId: string;
  scheduleName: string;
  userId: string;
  userName: string;
  start: number;
  end: number;
}

/** How far back and ahead a feed reaches from now. */
export const FEED_WINDOW = { backDays: 30, aheadDays: 180 } as const;

/**
 * A stable UID per shift: the same person's shift on the same schedule starting at the same instant
 * keeps its UID when the feed is fetched again, so calendar clients update it in place.
 */
export function shiftUid(s: FeedShift): string {
  return `${s.scheduleId}-${s.userId}-${new Date(s.start).toISOString().replace(/[-:.]/g, '')}@tocsin`;
}

/** The calendar text: VERSION 2.0, PRODID, METHOD:PUBLISH, X-WR-CALNAME, one VEVENT per shift in UTC. */
export function renderFeed(name: string, shifts: readonly FeedShift[], now: Date, url: string): string {
  const calendar = ical({
    name,
    prodId: { company: 'Tocsin', product: 'Schedules', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    url,
  });
  for (const s of shifts) {
    calendar.createEvent({
      id: shiftUid(s),
      start: new Date(s.start),
      end: new Date(s.end),
      stamp: now,
      summary: `On call: ${s.userName} (${s.scheduleName})`,
      description: `${s.userName} is on call on ${s.scheduleName}.`,
    });
  }
  // RFC 5545 ends every content line with CRLF, the last one too; ical-generator leaves it off.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
