import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { DomainRoutesDeps } from '../http/routes-deps.js';
import { LogEntryFeed, type FeedOptions } from './log-entry-feed.js';
import { logEntriesAfter, type FeedEntry } from './log-entry-feed-store.js';

/** What the live incidents stream needs. */
export interface StreamRoutesDeps extends Pick<DomainRoutesDeps, 'store'> {
  logger: Pick<Logger, 'warn'>;
  feed?: FeedOptions;
  /** Seconds between keep-alive comments (proxies close idle connections). */
  heartbeatSeconds?: number;
}

function frame(entries: FeedEntry[]): string {
  const last = entries[entries.length - 1]!;
  return `id: ${last.id}\nevent: log_entries\ndata: ${JSON.stringify({ log_entries: entries })}\n\n`;
}

/**
 * `GET /incidents/stream`: server-sent events for the live incident list and page. Each `log_entries`
 * event lists new log entries (id, type, incident, service, time); clients refetch what changed. A
 * reconnecting browser sends `Last-Event-ID` and first gets what it missed (up to 1000 entries).
 */
export function incidentStreamRoutes(deps: StreamRoutesDeps) {
  const feed = new LogEntryFeed(deps.store.db, deps.logger, deps.feed);
  const open = new Set<FastifyReply>();

  return async function plugin(app: FastifyInstance): Promise<void> {
    app.addHook('preClose', async () => {
      for (const reply of open) reply.raw.end();
      feed.stop();
    });

    app.get<{ Headers: { 'last-event-id'?: string } }>('/incidents/stream', async (request, reply) => {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // nginx: pass events through at once
      });
      raw.write('retry: 2000\n\n');
      open.add(reply);
      let closed = false;
      let unsubscribe = () => {};
      const heartbeat = setInterval(
        () => raw.write(': keep-alive\n\n'),
        (deps.heartbeatSeconds ?? 20) * 1000,
      );
      request.raw.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(reply);
      });
      // Subscribe first, then replay: an entry committed in between is sent twice rather than never.
      const stop = await feed.subscribe((entries) => raw.write(frame(entries)));
      if (closed) return stop();
      unsubscribe = stop;
      const missedAfter = request.headers['last-event-id'];
      if (missedAfter) {
        const missed = await logEntriesAfter(deps.store.db, missedAfter, 1000);
        if (missed.length > 0) raw.write(frame(missed));
      }
      raw.write('event: ready\ndata: {}\n\n');
    });
  };
}
