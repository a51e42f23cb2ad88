import type { EventImage, EventLink } from './event.js';

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an optional string field: absent or null → undefined; a number or boolean is stringified. */
export function optionalString(value: unknown, name: string, errors: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  errors.push(`'${name}' must be a string`);
  return undefined;
}

/**
 * Parses a sender's timestamp. ISO-8601 with or without a colon in the offset (PagerDuty's own example
 * uses `+0000`). Unparseable timestamps yield undefined: the time received is used instead.
 */
export function parseTimestamp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Reads `links[]` (objects with `href`); malformed entries are reported. */
export function parseLinks(value: unknown, name: string, errors: string[]): EventLink[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.push(`'${name}' must be an array`);
    return [];
  }
  const links: EventLink[] = [];
  value.forEach((item: unknown, index) => {
    if (!isObject(item) || typeof item.href !== 'string' || item.href === '') {
      errors.push(`'${name}[${index}].href' is required`);
      return;
    }
    const text = optionalString(item.text, `${name}[${index}].text`, errors);
    links.push(text === undefined ? { href: item.href } : { href: item.href, text });
  });
  return links;
}

/** Reads `images[]` (objects with an https `src`); malformed entries are reported. */
export function parseImages(value: unknown, name: string, errors: string[]): EventImage[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.push(`'${name}' must be an array`);
    return [];
  }
  const images: EventImage[] = [];
  value.forEach((item: unknown, index) => {
    if (!isObject(item) || typeof item.src !== 'string' || item.src === '') {
      errors.push(`'${name}[${index}].src' is required`);
      return;
    }
    if (!item.src.startsWith('https://')) {
      errors.push(`'${name}[${index}].src' must be an HTTPS URL`);
      return;
    }
    const image: EventImage = { src: item.src };
    const href = optionalString(item.href, `${name}[${index}].href`, errors);
    const alt = optionalString(item.alt, `${name}[${index}].alt`, errors);
    if (href !== undefined) image.href = href;
    if (alt !== undefined) image.alt = alt;
    images.push(image);
  });
  return images;
}
