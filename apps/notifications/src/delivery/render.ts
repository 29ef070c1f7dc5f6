import { createHmac } from 'node:crypto';
import { Notification } from '../domain/notification';
import { OutboundRequest } from './http-sender';

export const SIGNATURE_HEADER = 'x-pacer-signature';
export const TIMESTAMP_HEADER = 'x-pacer-timestamp';
export const DELIVERY_HEADER = 'x-pacer-delivery';

const EMOJI: Record<Notification['type'], string> = {
  behind_pace: ':hourglass_flowing_sand:',
  deal_won: ':trophy:',
  spiff_awarded: ':moneybag:',
  deal_pending_approval: ':inbox_tray:',
  dispute_opened: ':raised_hand:',
  statement_approved: ':white_check_mark:',
  period_paid: ':money_with_wings:',
  test: ':wave:',
};

// Slack renders &, < and > as markup in mrkdwn and plain_text alike; names and comments are data.
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A Block Kit message readable at a glance: the whole story in the header line, the facts as
 * fields, when it happened in the context line, and no links (nothing to click, nothing to leak).
 * `text` is the notification fallback (phone lock screens, screen readers).
 */
export function slackMessage(n: Notification): Record<string, unknown> {
  const title = escapeSlack(n.title);
  return {
    text: title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${EMOJI[n.type]} *${title}*` } },
      ...(n.facts.length > 0
        ? [
            {
              type: 'section',
              // Block Kit allows at most 10 fields per section.
              fields: n.facts.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: `*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}` })),
            },
          ]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Pacer · ${n.type.replace(/_/g, ' ')} · ${n.occurredAt}` }] },
    ],
  };
}

/** The generic webhook body: the notification as JSON with a stable delivery id (see the README). */
export function webhookBody(n: Notification, deliveryId: string): Record<string, unknown> {
  return {
    deliveryId,
    type: n.type,
    tenantId: n.tenantId,
    sourceEventId: n.sourceEventId,
    occurredAt: n.occurredAt,
    rep: n.rep ?? null,
    teams: n.teams,
    title: n.title,
    facts: n.facts,
    data: n.data,
  };
}

/** `v1=` + hex HMAC-SHA256 of `${timestamp}.${body}` with the destination's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DestinationTarget {
  kind: 'slack' | 'webhook';
  url: string;
  secret?: string;
}

/** The HTTP request of one delivery; `now` is the signing time (seconds since the epoch). */
export function deliveryRequest(target: DestinationTarget, n: Notification, deliveryId: string, now: Date): OutboundRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Pacer-Notifications/1' };
  if (target.kind === 'slack') {
    return { url: target.url, headers, body: JSON.stringify(slackMessage(n)) };
  }
  const body = JSON.stringify(webhookBody(n, deliveryId));
  const timestamp = String(Math.floor(now.getTime() / 1000));
  headers[TIMESTAMP_HEADER] = timestamp;
  headers[DELIVERY_HEADER] = deliveryId;
  if (target.secret) headers[SIGNATURE_HEADER] = signature(target.secret, timestamp, body);
  return { url: target.url, headers, body };
}
