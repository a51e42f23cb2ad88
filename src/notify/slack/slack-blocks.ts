/** What a Slack message about an incident shows. */
export interface SlackIncident {
  id: string;
  number: number;
  title: string;
  service: string;
  urgency: string;
  status: string;
  url: string;
}

/** The button action ids Tocsin answers; the button's value is the incident id. */
export const SLACK_ACTIONS = { tocsin_acknowledge: 'acknowledge', tocsin_resolve: 'resolve' } as const;

const mrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The fallback text (notifications, screen readers) of an incident message. */
export function slackText(i: SlackIncident): string {
  return `#${i.number} ${i.title} (${i.service}, ${i.urgency} urgency): ${i.status}`;
}

/**
 * Block Kit for an incident: its title and link, service, urgency and status, an optional line on
 * what last happened, and the buttons still useful (Acknowledge while triggered, Resolve until
 * resolved; none once resolved).
 */
export function slackBlocks(i: SlackIncident, note?: string): unknown[] {
  const buttons = [
    ...(i.status === 'triggered'
      ? [
          {
            type: 'button',
            action_id: 'tocsin_acknowledge',
            value: i.id,
            style: 'primary',
            text: { type: 'plain_text', text: 'Acknowledge' },
          },
        ]
      : []),
    ...(i.status !== 'resolved'
      ? [
          {
            type: 'button',
            action_id: 'tocsin_resolve',
            value: i.id,
            text: { type: 'plain_text', text: 'Resolve' },
          },
        ]
      : []),
  ];
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*<${i.url}|#${i.number} ${mrkdwn(i.title)}>*` },
      fields: [
        { type: 'mrkdwn', text: `*Service*\n${mrkdwn(i.service)}` },
        { type: 'mrkdwn', text: `*Urgency*\n${i.urgency}` },
        { type: 'mrkdwn', text: `*Status*\n${i.status}` },
      ],
    },
    ...(note ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(note) }] }] : []),
    ...(buttons.length > 0 ? [{ type: 'actions', block_id: 'tocsin_actions', elements: buttons }] : []),
  ];
}
