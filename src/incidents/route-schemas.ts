import { Type, type TSchema } from '@sinclair/typebox';
import { PaginationQuery } from '../http/rest.js';

/** A string enum with one clear validation message (a union of literals reports every branch). */
function stringEnum<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

/** Query arrays arrive as `key[]=a&key[]=b`; a single value is coerced to an array by the app's ajv. */
function queryArray<T extends TSchema>(items: T) {
  return Type.Optional(Type.Array(items));
}

/** PagerDuty's `include[]` values of incidents. */
const INCIDENT_INCLUDES = [
  'acknowledgers',
  'agents',
  'assignees',
  'conference_bridge',
  'custom_fields',
  'escalation_policies',
  'first_trigger_log_entries',
  'priorities',
  'services',
  'teams',
  'users',
] as const;

/** `{id}` in the path: an incident id or number. */
export const IncidentParams = Type.Object({ id: Type.String() });

/** `{id}/alerts/{alert_id}` in the path. */
export const AlertParams = Type.Object({ id: Type.String(), alert_id: Type.String() });

/** `GET /incidents` parameters. */
export const ListIncidentsQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    'statuses[]': queryArray(stringEnum(['triggered', 'acknowledged', 'resolved'] as const)),
    'service_ids[]': queryArray(Type.String()),
    'urgencies[]': queryArray(stringEnum(['high', 'low'] as const)),
    'user_ids[]': queryArray(Type.String()),
    'team_ids[]': queryArray(Type.String()),
    incident_key: Type.Optional(Type.String()),
    since: Type.Optional(Type.String()),
    until: Type.Optional(Type.String()),
    date_range: Type.Optional(stringEnum(['all'] as const)),
    sort_by: Type.Optional(Type.String()),
    time_zone: Type.Optional(Type.String()),
    'include[]': queryArray(stringEnum(INCIDENT_INCLUDES)),
  }),
]);

/** `GET /incidents/{id}/alerts` parameters. */
export const ListAlertsQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    'statuses[]': queryArray(stringEnum(['triggered', 'resolved'] as const)),
    alert_key: Type.Optional(Type.String()),
    sort_by: Type.Optional(
      stringEnum([
        'created_at',
        'resolved_at',
        'created_at:asc',
        'created_at:desc',
        'resolved_at:asc',
        'resolved_at:desc',
      ] as const),
    ),
    'include[]': queryArray(stringEnum(['services', 'first_trigger_log_entries', 'incidents'] as const)),
  }),
]);

/** `GET /incidents/{id}` parameters. */
export const GetIncidentQuery = Type.Object({ 'include[]': queryArray(stringEnum(INCIDENT_INCLUDES)) });

/** Log entry list parameters (`time_zone` and `include[]` are validated; timestamps stay UTC). */
export const ListLogEntriesQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    since: Type.Optional(Type.String()),
    until: Type.Optional(Type.String()),
    is_overview: Type.Optional(Type.Boolean()),
    time_zone: Type.Optional(Type.String()),
    'include[]': queryArray(stringEnum(['incidents', 'services', 'channels', 'teams'] as const)),
    'team_ids[]': queryArray(Type.String()),
  }),
]);

const changeFields = {
  type: stringEnum(['incident', 'incident_reference'] as const),
  status: Type.Optional(stringEnum(['acknowledged', 'resolved', 'triggered'] as const)),
  title: Type.Optional(Type.String({ minLength: 1 })),
  urgency: Type.Optional(stringEnum(['high', 'low'] as const)),
  resolution: Type.Optional(Type.String()),
  escalation_level: Type.Optional(Type.Integer({ minimum: 1 })),
  escalation_policy: Type.Optional(Type.Object({ id: Type.String({ minLength: 1 }) })),
  assignments: Type.Optional(
    Type.Array(Type.Object({ assignee: Type.Object({ id: Type.String({ minLength: 1 }) }) }), {
      minItems: 1,
    }),
  ),
  priority: Type.Optional(
    // Null first: with type coercion on, an earlier branch would turn null into "" or {}.
    Type.Union([
      Type.Null(),
      Type.Object({ id: Type.Optional(Type.String()), name: Type.Optional(Type.String()) }),
      Type.String(),
    ]),
  ),
};

/** `POST /incidents/{id}/snooze` body: seconds, 1 s to a week. */
export const SnoozeBody = Type.Object({ duration: Type.Integer() });

/** `PUT /incidents/{id}` body. */
export const UpdateIncidentBody = Type.Object({ incident: Type.Object(changeFields) });

/** `PUT /incidents` body (the 250 cap is checked by the service, to answer 413). */
export const UpdateIncidentsBody = Type.Object({
  incidents: Type.Array(Type.Object({ id: Type.String({ minLength: 1 }), ...changeFields }), { minItems: 1 }),
});

const ref = Type.Object({ id: Type.String({ minLength: 1 }), type: Type.Optional(Type.String()) });

/** `POST /incidents` body. */
export const CreateIncidentBody = Type.Object({
  incident: Type.Object({
    type: stringEnum(['incident'] as const),
    title: Type.String({ minLength: 1, maxLength: 1024 }),
    service: ref,
    urgency: Type.Optional(stringEnum(['high', 'low'] as const)),
    priority: Type.Optional(ref),
    body: Type.Optional(
      Type.Object({ type: Type.Optional(Type.String()), details: Type.Optional(Type.Unknown()) }),
    ),
    incident_key: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    escalation_policy: Type.Optional(ref),
    assignments: Type.Optional(Type.Array(Type.Object({ assignee: ref }), { minItems: 1 })),
    conference_bridge: Type.Optional(
      Type.Object({
        conference_number: Type.Optional(Type.String()),
        conference_url: Type.Optional(Type.String()),
      }),
    ),
  }),
});

/** `PUT /incidents/{id}/merge` body. */
export const MergeBody = Type.Object({
  source_incidents: Type.Array(ref, { minItems: 1 }),
});
