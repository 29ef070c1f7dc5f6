import Decimal from 'decimal.js';
import { Notification, NotificationFact, NotificationType } from './notification';
import { formatMoney } from './money-format';

/** The part of a CloudEvent the notifications read; anything else it carries is ignored. */
export interface InboundEvent {
  id: string;
  type: string;
  time: string;
  recordedtime: string;
  tenantid: string;
  data: Record<string, unknown>;
}

/** The event types that become notifications, and the notification type each becomes. */
export const NOTIFIABLE_EVENT_TYPES: Readonly<Record<string, NotificationType>> = {
  'pacer.activity.deal_won.v1': 'deal_won',
  'pacer.commission.spiff_awarded.v1': 'spiff_awarded',
  'pacer.commission.deal_pending_approval.v1': 'deal_pending_approval',
  'pacer.commission.dispute_opened.v1': 'dispute_opened',
  'pacer.commission.statement_approved.v1': 'statement_approved',
  'pacer.commission.payout.v1': 'period_paid',
};

/** What an event is about before the roster is asked: whose it is and when (for the team filter). */
export interface NotifiableFact {
  type: NotificationType;
  event: InboundEvent;
  repId: string;
  /** The instant the rep's team is read at: the deal's occurredAt, else the event time. */
  at: string;
}

export interface RosterView {
  repName?: string;
  teams: { id: string; name?: string }[];
}

function text(data: Record<string, unknown>, field: string): string | undefined {
  const value = data[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isPositive(amount: string | undefined): boolean {
  if (amount === undefined) return false;
  try {
    return new Decimal(amount).gt(0);
  } catch {
    return false;
  }
}

/**
 * Whether an event becomes a notification. Commission events are read by their type string and the
 * fields named in their contract, tolerating anything extra; an event without a rep is not one.
 * A SPIFF with a negative amount is the reversal of an earlier award and is not announced.
 */
export function notifiableFact(event: InboundEvent): NotifiableFact | undefined {
  const type = NOTIFIABLE_EVENT_TYPES[event.type];
  if (type === undefined) return undefined;
  const repId = text(event.data, 'repId');
  if (repId === undefined) return undefined;
  if (type === 'spiff_awarded' && !isPositive(text(event.data, 'amount'))) return undefined;
  return { type, event, repId, at: text(event.data, 'occurredAt') ?? event.time };
}

function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Builds the notification of a fact with the names the roster knows (ids where it knows none). */
export function composeNotification(fact: NotifiableFact, roster: RosterView): Notification {
  const { event, repId } = fact;
  const d = event.data;
  const who = roster.repName ?? repId;
  const currency = text(d, 'currency') ?? '';
  const money = (field: string): string | undefined => {
    const amount = text(d, field);
    return amount === undefined ? undefined : formatMoney(amount, currency);
  };
  const facts: NotificationFact[] = [{ label: 'Rep', value: who }];
  const team = roster.teams.map((t) => t.name ?? t.id).join(', ');
  if (team) facts.push({ label: roster.teams.length > 1 ? 'Teams' : 'Team', value: team });
  let title: string;
  switch (fact.type) {
    case 'deal_won':
      title = `${who} won a deal: ${money('amount') ?? ''}`.trim();
      facts.push({ label: 'Amount', value: money('amount') ?? '—' }, { label: 'Deal', value: text(d, 'dealId') ?? '—' });
      break;
    case 'spiff_awarded':
      title = `${who} earned a SPIFF: ${money('amount') ?? ''}`.trim();
      facts.push(
        { label: 'Amount', value: money('amount') ?? '—' },
        { label: 'SPIFF', value: text(d, 'spiffId') ?? '—' },
        { label: 'Period', value: text(d, 'periodKey') ?? '—' },
      );
      break;
    case 'deal_pending_approval':
      title = `${who}'s deal of ${money('amount') ?? 'unknown amount'} awaits approval`;
      facts.push({ label: 'Amount', value: money('amount') ?? '—' }, { label: 'Deal', value: text(d, 'dealId') ?? '—' });
      break;
    case 'dispute_opened':
      title = `${who} disputed a line of the ${text(d, 'periodKey') ?? ''} statement`.replace('  ', ' ');
      facts.push({ label: 'Period', value: text(d, 'periodKey') ?? '—' }, { label: 'Comment', value: clip(text(d, 'comment') ?? '—', 300) });
      break;
    case 'statement_approved':
      title = `${who}'s ${text(d, 'periodKey') ?? ''} statement was approved: ${money('total') ?? ''}`.replace('  ', ' ').trim();
      facts.push({ label: 'Total', value: money('total') ?? '—' }, { label: 'Period', value: text(d, 'periodKey') ?? '—' });
      break;
    case 'period_paid':
      title = `${who} was paid ${money('total') ?? ''} for ${text(d, 'periodKey') ?? 'the period'}`.replace('  ', ' ');
      facts.push({ label: 'Total', value: money('total') ?? '—' }, { label: 'Period', value: text(d, 'periodKey') ?? '—' });
      break;
    case 'behind_pace':
      throw new Error('behind_pace notifications are composed by the pace check, not from an event');
  }
  const data: Record<string, string | number | null> = {};
  for (const field of ['dealId', 'amount', 'total', 'currency', 'periodKey', 'spiffId', 'disputeId', 'lineId', 'statementId']) {
    const value = text(d, field);
    if (value !== undefined) data[field] = value;
  }
  return {
    type: fact.type,
    tenantId: event.tenantid,
    sourceEventId: event.id,
    occurredAt: fact.at,
    rep: { id: repId, ...(roster.repName ? { name: roster.repName } : {}) },
    teams: roster.teams,
    title: clip(title, 150),
    facts,
    data,
  };
}
