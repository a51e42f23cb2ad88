import { slackClient, type SlackSettings } from '../slack/slack-api.js';
import { slackBlocks, slackText } from '../slack/slack-blocks.js';
import type { Provider } from '../provider.js';

/** Whether a Slack address is a member (U…, W…: a DM) rather than a channel (C…, G…). */
const isMember = (address: string) => /^[UW]/.test(address);

/**
 * Slack through the Web API: to a member, `conversations.open` then `chat.postMessage` in the DM; to
 * a channel, straight to it. An incident goes as blocks with Acknowledge and Resolve buttons; the
 * provider reference is `<channel>:<ts>`, so the message can be updated as the incident changes
 * (a message with `update` is that `chat.update`, showing the incident as it is now).
 */
export function slackProvider(settings: SlackSettings): Provider {
  const call = slackClient(settings);
  return {
    name: 'slack',
    send: async (message) => {
      const i = message.incident;
      if (message.update && i) {
        const [channel, ts] = message.update.ref.split(':');
        await call('chat.update', {
          channel,
          ts,
          text: slackText(i),
          blocks: slackBlocks(i, message.update.note),
        });
        return { status: 'delivered', providerRef: message.update.ref };
      }
      const address = message.contact.address;
      let channel = address;
      if (isMember(address)) {
        const opened = await call('conversations.open', { users: address });
        channel = (opened.channel as { id: string }).id;
      }
      const posted = await call('chat.postMessage', {
        channel,
        ...(i ? { text: slackText(i), blocks: slackBlocks(i) } : { text: message.text }),
        unfurl_links: false,
      });
      return { status: 'delivered', providerRef: `${String(posted.channel)}:${String(posted.ts)}` };
    },
  };
}
