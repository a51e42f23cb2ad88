/** Figures of the analytics pages: incident counts and response times, notifications sent. */

/** A half-open period `[since, until)` as ISO-8601 UTC strings. */
export interface Period {
  since: string;
  until: string;
}

/** Incident figures of one group (a service, a team, or the whole account). */
export interface IncidentFigures {
  incidents: number;
  high_urgency: number;
  low_urgency: number;
  acknowledged: number;
  resolved: number;
  /** Mean seconds from creation to the first acknowledgement, over acknowledged incidents (null: none). */
  mean_seconds_to_acknowledge: number | null;
  /** Mean seconds from creation to resolution, over resolved incidents (null: none). */
  mean_seconds_to_resolve: number | null;
}

/** One row of the incidents-by-group query, before presentation. */
export interface IncidentGroupRow extends IncidentFigures {
  id: string | null;
  name: string | null;
}

/** Incidents opened per UTC day. */
export interface DayCount {
  date: string;
  incidents: number;
}

/** Notifications of one channel in the period. */
export interface ChannelCount {
  channel: string;
  sent: number;
  failed: number;
}

/** Notifications sent to one person in the period, per channel. */
export interface PersonCount {
  user_id: string;
  name: string;
  sent: number;
  by_channel: Record<string, number>;
}
