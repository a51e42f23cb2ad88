/** What a notification says, with everything a channel needs to word it and to offer actions. */
export interface OutboundMessage {
  notificationId: string;
  /** Stable across retries of this notification: providers pass it on where the protocol has one. */
  idempotencyKey: string;
  reason: string;
  contact: { type: string; address: string; details: Record<string, unknown> };
  user: { id: string; name: string; email: string };
  /** Set for incident notifications. */
  incident?: {
    id: string;
    number: number;
    title: string;
    service: string;
    urgency: string;
    status: string;
    url: string;
  };
  /** One line anyone can read: what happened, or the handoff notice. */
  text: string;
  /** Set when several incidents are sent as one message (throttled channels). */
  bundle?: { id: string; number: number; title: string; service: string }[];
  /** Links that act on the incident, when the channel can carry them. */
  actions?: { acknowledgeUrl: string; resolveUrl: string };
  /** Set when this replaces a message already sent (Slack: `chat.update` of `channel:ts`). */
  update?: { ref: string; note?: string };
}

/** What a provider did with a message. */
export interface SendResult {
  /** 'delivered': the channel has it; 'sent': accepted, delivery reported later (status callbacks). */
  status: 'delivered' | 'sent';
  /** The provider's id of the message. */
  providerRef?: string;
}

/** A provider failure; `retryable` says whether trying again later may succeed. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** One channel's sender (email over SMTP, SMS over a Twilio-style API, …). */
export interface Provider {
  /** Recorded as the notification's channel. */
  name: string;
  send(message: OutboundMessage): Promise<SendResult>;
  /** Releases connections (pooled SMTP sessions, …) at shutdown. */
  close?(): void;
}

/** The providers by contact-method type; types without one use the fallback (the log channel). */
export class ProviderRegistry {
  private readonly byType = new Map<string, Provider>();

  constructor(private readonly fallback: Provider) {}

  /** Routes a contact-method type to a provider. */
  register(type: string, provider: Provider): this {
    this.byType.set(type, provider);
    return this;
  }

  /** The provider for a contact-method type. */
  providerFor(type: string): Provider {
    return this.byType.get(type) ?? this.fallback;
  }

  /** Closes every provider (at shutdown). */
  close(): void {
    for (const provider of new Set([...this.byType.values(), this.fallback])) provider.close?.();
  }

  /** Which provider serves each type (for the admin settings API). */
  describe(types: readonly string[]): Record<string, string> {
    return Object.fromEntries(types.map((t) => [t, this.providerFor(t).name]));
  }
}
