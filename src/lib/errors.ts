/**
 * The one error catalogue. Each entry has a stable PagerDuty error code, an HTTP status and a message;
 * domain code throws `AppError`s and the HTTP layer renders them as PagerDuty's REST error body.
 */
export const errorCatalogue = {
  invalidInput: { code: 2001, status: 400, message: 'Invalid Input Provided' },
  fromHeaderMissing: {
    code: 2001,
    status: 400,
    message: 'You must specify a user\'s email address in the "From" header to perform this action',
  },
  /** `From` is not one email address (PagerDuty: go-pagerduty#336). */
  fromHeaderMalformed: { code: 1028, status: 400, message: 'Malformed "From" header' },
  /** `From` names no live user (PagerDuty's answer quoted in pygerduty#64). */
  requesterNotFound: { code: 1008, status: 400, message: 'Requester User Not Found' },
  unauthorized: { code: 2006, status: 401, message: 'Authentication failed' },
  forbidden: { code: 2010, status: 403, message: 'Access Denied' },
  notFound: { code: 2100, status: 404, message: 'Not Found' },
  alreadyResolved: { code: 1001, status: 400, message: 'Incident Already Resolved' },
  alreadyAcknowledged: { code: 1002, status: 400, message: 'Incident Already Acknowledged' },
  invalidStatus: { code: 1003, status: 400, message: 'Invalid Incident Status' },
  notAcknowledged: { code: 1012, status: 400, message: 'Incident Not Acknowledged' },
  invalidSnoozeDuration: { code: 1013, status: 400, message: 'Invalid Snooze Duration' },
  noOnCall: { code: 1015, status: 400, message: 'Escalation Policy Has No On-Call Users' },
  alreadyMerged: { code: 1019, status: 400, message: 'Incident Already Merged' },
  conflict: { code: 2001, status: 400, message: 'Invalid Input Provided' },
  paginationTooDeep: { code: 2001, status: 400, message: 'Offset must be less than 10000' },
  tooManyItems: { code: 2001, status: 413, message: 'Request Entity Too Large' },
  // PUT on a window that has ended is a 400; DELETE is the 405 the OAS documents ("already ended").
  maintenanceWindowEnded: { code: 5003, status: 400, message: 'Maintenance Window Has Ended' },
  maintenanceWindowEndedDelete: { code: 5003, status: 405, message: 'Maintenance Window Has Ended' },
  abilityUnavailable: { code: 2014, status: 402, message: 'Account Does Not Have This Ability' },
  rateLimited: { code: 2020, status: 429, message: 'Rate Limit Exceeded' },
  internal: { code: 2000, status: 500, message: 'Internal Error' },
  unavailable: { code: 2000, status: 503, message: 'Service Unavailable' },
} as const;

/** The name of one catalogue entry. */
export type ErrorKind = keyof typeof errorCatalogue;

/** An error with a catalogue entry and the field errors that explain it. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: number;
  readonly status: number;
  readonly errors: string[];

  constructor(kind: ErrorKind, errors: string[] = [], message?: string) {
    const entry = errorCatalogue[kind];
    super(message ?? entry.message);
    this.kind = kind;
    this.code = entry.code;
    this.status = entry.status;
    this.errors = errors;
  }
}

/** Collects field errors so that every problem with an input is reported at once. */
export class FieldErrors {
  readonly list: string[] = [];

  /** Records a problem. */
  add(message: string): void {
    this.list.push(message);
  }

  /** Throws an invalid-input error when any problem was recorded. */
  throwIfAny(): void {
    if (this.list.length > 0) throw new AppError('invalidInput', this.list);
  }
}
