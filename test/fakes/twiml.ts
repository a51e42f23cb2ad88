// A small strict XML reader for the TwiML a call or an inbound SMS gets back.

/** One XML element: name, attributes, child elements and its own text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** What a TwiML document tells Twilio to do, in the parts Tocsin uses. */
export interface Twiml {
  /** Every <Say> in document order, those inside <Gather> included. */
  says: string[];
  /** The first <Gather>, with its action (if any), method and the prompts it speaks. */
  gather:
    { action: string | undefined; method: string; numDigits: number | undefined; says: string[] } | undefined;
  /** Bodies of <Message> (an SMS reply). */
  messages: string[];
  redirect: string | undefined;
  hangup: boolean;
  root: XmlElement;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const named = ENTITIES[ref];
    if (named === undefined) throw new Error(`unknown XML entity ${whole}`);
    return named;
  });
}

const TOKEN =
  /<\?xml[^?]*\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)/gy;
const ATTRIBUTE = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parses well-formed XML into its root element; throws on anything malformed, as Twilio does. */
export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [{ name: '#document', attributes: {}, children: [], text: '' }];
  TOKEN.lastIndex = 0;
  const source = xml.trim();
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new Error(`malformed XML at offset ${at}`);
    const [, closing, name, attributeText, selfClosing, text] = match;
    const parent = stack.at(-1)!;
    if (text !== undefined) {
      if (stack.length === 1 && text.trim()) throw new Error('text outside the root element');
      parent.text += decode(text);
    } else if (name !== undefined && closing) {
      if (parent.name !== name) throw new Error(`</${name}> closes <${parent.name}>`);
      stack.pop();
    } else if (name !== undefined) {
      const attributes: Record<string, string> = {};
      for (const [, key, dq, sq] of (attributeText ?? '').matchAll(ATTRIBUTE)) {
        attributes[key!] = decode(dq ?? sq ?? '');
      }
      const element: XmlElement = { name, attributes, children: [], text: '' };
      parent.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  const [document] = stack;
  if (stack.length !== 1 || document?.children.length !== 1)
    throw new Error('XML must have one closed root element');
  return document.children[0]!;
}

function all(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => (child.name === name ? [child] : []).concat(all(child, name)));
}

/** Reads a TwiML document; throws unless its root is <Response>. */
export function readTwiml(xml: string): Twiml {
  const root = parseXml(xml);
  if (root.name !== 'Response') throw new Error(`TwiML root must be <Response>, got <${root.name}>`);
  const gather = all(root, 'Gather')[0];
  const numDigits = gather?.attributes.numDigits;
  return {
    says: all(root, 'Say').map((say) => say.text.trim()),
    gather: gather && {
      action: gather.attributes.action,
      method: (gather.attributes.method ?? 'POST').toUpperCase(),
      numDigits: numDigits === undefined ? undefined : Number(numDigits),
      says: all(gather, 'Say').map((say) => say.text.trim()),
    },
    messages: all(root, 'Message').map((message) =>
      (message.children.find((c) => c.name === 'Body') ?? message).text.trim(),
    ),
    redirect: all(root, 'Redirect')[0]?.text.trim(),
    hangup: all(root, 'Hangup').length > 0,
    root,
  };
}
