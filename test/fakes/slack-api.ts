// The Slack Web API methods the fake serves: chat.postMessage, chat.update, conversations.open.
import type { FakeRequest, FakeResponse } from './fake-http.js';
import type { Recorder } from './recorder.js';

/** A message as the fake keeps it (and returns it in `message`). */
export interface SlackMessage {
  type: 'message';
  user: string;
  bot_id: string;
  text: string;
  ts: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** A chat.postMessage or chat.update the fake accepted: the channel ID, the message and the arguments as sent. */
export interface SlackCall {
  method: 'chat.postMessage' | 'chat.update';
  channel: string;
  ts: string;
  message: SlackMessage;
  args: Record<string, unknown>;
}

/** The workspace the fake knows: its bot, channels and users (a user's DM channel is made on demand). */
export interface SlackWorkspace {
  botToken: string;
  botUserId: string;
  channels: { id: string; name: string }[];
  users: { id: string; name: string }[];
  posts: Recorder<SlackCall>;
  updates: Recorder<SlackCall>;
  /** Messages by `${channel}/${ts}`. */
  messages: Map<string, SlackMessage>;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

// In a form body, JSON-typed arguments (blocks, attachments) arrive as JSON strings.
function readArgs({ headers, body }: FakeRequest): Record<string, unknown> {
  const text = body.toString('utf8');
  if (/^application\/json/i.test(headers['content-type'] ?? ''))
    return JSON.parse(text || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = Object.fromEntries(new URLSearchParams(text));
  for (const key of ['blocks', 'attachments']) {
    const value = args[key];
    if (typeof value === 'string') args[key] = JSON.parse(value) as unknown;
  }
  return args;
}

/** The request handler of the Web API for one workspace; errors are 200 with `{ok:false, error}`, as Slack does. */
export function slackApi(ws: SlackWorkspace): (request: FakeRequest) => FakeResponse {
  let sequence = 0;
  const ok = (body: object): FakeResponse => ({ status: 200, body: { ok: true, ...body } });
  const fail = (error: string): FakeResponse => ({ status: 200, body: { ok: false, error } });
  const dmOf = (userId: string): string => `D${userId.slice(1)}`;
  // A channel argument may be an ID, a #name, or a user ID (posts to the bot's DM with that user).
  const resolveChannel = (value: unknown): string | undefined => {
    const name = str(value).replace(/^#/, '');
    const channel = ws.channels.find((c) => c.id === name || c.name === name);
    if (channel) return channel.id;
    const user = ws.users.find((u) => u.id === name || dmOf(u.id) === name);
    return user && dmOf(user.id);
  };

  return (request) => {
    const method = request.url.pathname.replace(/^\/api\//, '');
    let args: Record<string, unknown>;
    try {
      args = readArgs(request);
    } catch {
      return fail('invalid_json');
    }
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!token) return fail('not_authed');
    if (token !== ws.botToken) return fail('invalid_auth');

    if (method === 'conversations.open') {
      const users = str(args.users).split(',').filter(Boolean);
      if (users.length === 0) return fail('users_list_not_supplied');
      if (users.length > 1) return fail('not_implemented'); // group DMs are not faked
      const user = ws.users.find((u) => u.id === users[0]);
      return user ? ok({ channel: { id: dmOf(user.id) } }) : fail('user_not_found');
    }
    if (method !== 'chat.postMessage' && method !== 'chat.update')
      return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const channel = resolveChannel(args.channel);
    if (!channel) return fail('channel_not_found');
    const { text, blocks, attachments } = args as {
      text?: string;
      blocks?: unknown[];
      attachments?: unknown[];
    };
    if (!text && !blocks && !attachments) return fail('no_text');
    let ts: string;
    if (method === 'chat.postMessage') {
      ts = `${Math.floor(Date.now() / 1000)}.${String(++sequence).padStart(6, '0')}`;
    } else {
      ts = str(args.ts);
      if (!ws.messages.has(`${channel}/${ts}`)) return fail('message_not_found');
    }
    const message: SlackMessage = {
      type: 'message',
      user: ws.botUserId,
      bot_id: 'B0TOCSIN01',
      text: text ?? '',
      ts,
      ...(blocks && { blocks }),
      ...(attachments && { attachments }),
    };
    ws.messages.set(`${channel}/${ts}`, message);
    (method === 'chat.update' ? ws.updates : ws.posts).push({ method, channel, ts, message, args });
    return method === 'chat.update'
      ? ok({ channel, ts, text: message.text, message })
      : ok({ channel, ts, message });
  };
}
