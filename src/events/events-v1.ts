import type { AlertEvent, EventAction, EventImage, EventLink, ParseResult } from './event.js';
import { isObject, optionalString } from './fields.js';

const TYPES: readonly string[] = ['trigger', 'acknowledge', 'resolve'];

/** Splits v1 `contexts[]` into links and images. */
function parseContexts(value: unknown, errors: string[]): { links: EventLink[]; images: EventImage[] } {
  const links: EventLink[] = [];
  const images: EventImage[] = [];
  if (value === undefined || value === null) return { links, images };
  if (!Array.isArray(value)) {
    errors.push('contexts must be an array');
    return { links, images };
  }
  value.forEach((item: unknown, index) => {
    if (!isObject(item)) {
      errors.push(`contexts[${index}] must be an object`);
    } else if (item.type === 'link' && typeof item.href === 'string') {
      const text = optionalString(item.text, `contexts[${index}].text`, errors);
      links.push(text === undefined ? { href: item.href } : { href: item.href, text });
    } else if (item.type === 'image' && typeof item.src === 'string') {
      const image: EventImage = { src: item.src };
      if (typeof item.href === 'string') image.href = item.href;
      if (typeof item.alt === 'string') image.alt = item.alt;
      images.push(image);
    } else {
      errors.push(`contexts[${index}] is invalid (type must be link with href, or image with src)`);
    }
  });
  return { links, images };
}

/** Validates an Events API v1 body (`create_event.json`), with PagerDuty's v1 error strings. */
export function parseEventV1(body: unknown): ParseResult<AlertEvent> {
  if (!isObject(body)) return { ok: false, errors: ['Event object must be a JSON object'] };
  const errors: string[] = [];
  const serviceKey = body.service_key;
  if (typeof serviceKey !== 'string' || serviceKey.length !== 32) {
    errors.push('Service key is the wrong length (should be 32 characters)');
  }
  const type = body.event_type;
  if (typeof type !== 'string' || !TYPES.includes(type)) {
    errors.push('event_type is invalid (must be one of: trigger acknowledge resolve)');
  }
  const typeName = typeof type === 'string' ? type : '';
  let incidentKey = optionalString(body.incident_key, 'incident_key', errors);
  if (incidentKey === '') incidentKey = undefined;
  if (incidentKey !== undefined && incidentKey.length > 255)
    errors.push('Incident key is too long (maximum is 255 characters)');
  if (incidentKey === undefined && (typeName === 'acknowledge' || typeName === 'resolve')) {
    errors.push('Incident key is required for acknowledge and resolve events');
  }
  const description = optionalString(body.description, 'description', errors);
  if (typeName === 'trigger') {
    if (description === undefined || description.trim() === '') errors.push('Description is missing');
    else if ([...description].length > 1024)
      errors.push('Description is too long (maximum is 1024 characters)');
  }
  const { links, images } = parseContexts(body.contexts, errors);
  const client = optionalString(body.client, 'client', errors);
  const clientUrl = optionalString(body.client_url, 'client_url', errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    event: {
      kind: 'alert',
      via: 'events_api_v1',
      routingKey: serviceKey as string,
      action: typeName as EventAction,
      dedupKey: incidentKey,
      payload:
        typeName === 'trigger'
          ? {
              summary: description ?? '',
              // v1 has no source or severity: the client name stands in, and v1 alerts page as errors.
              source: client ?? 'Events API v1',
              severity: 'error',
              timestamp: undefined,
              component: undefined,
              group: undefined,
              class: undefined,
              customDetails: body.details ?? undefined,
            }
          : undefined,
      links,
      images,
      client,
      clientUrl,
    },
  };
}
