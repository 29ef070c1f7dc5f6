import { ArgumentsHost } from '@nestjs/common';
import { ConcurrencyError } from '@pacer/event-store';
import { CommissionError } from '../commission.error';
import { CommissionErrorFilter } from './commission-error.filter';

interface Sent {
  status?: number;
  type?: string;
  body?: Record<string, unknown>;
}

function answer(error: unknown): Sent {
  const sent: Sent = {};
  const res = {
    headersSent: false,
    status(s: number) {
      sent.status = s;
      return this;
    },
    type(t: string) {
      sent.type = t;
      return this;
    },
    send(text: string) {
      sent.body = JSON.parse(text) as Record<string, unknown>;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ originalUrl: '/v1/x' }) }),
  } as unknown as ArgumentsHost;
  new CommissionErrorFilter().catch(error as CommissionError, host);
  return sent;
}

describe('CommissionErrorFilter', () => {
  it('answers a rule with its status, type URN, extensions and field errors', () => {
    expect(
      answer(new CommissionError('statement-changed', 'Review it again.', { currentVersion: 3 })),
    ).toEqual({
      status: 409,
      type: 'application/problem+json',
      body: {
        type: 'urn:pacer:problem:statement-changed',
        title: 'Conflict',
        status: 409,
        detail: 'Review it again.',
        currentVersion: 3,
        instance: '/v1/x',
      },
    });
    const invalid = answer(CommissionError.validation([{ path: 'cursor', message: 'is not a cursor' }]));
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      type: 'urn:pacer:problem:validation-failed',
      errors: [{ path: 'cursor', message: 'is not a cursor' }],
    });
    expect(answer(CommissionError.notFound('Dispute 7')).body).toMatchObject({
      status: 404,
      type: 'urn:pacer:problem:not-found',
      detail: 'Dispute 7 was not found.',
    });
  });

  it('answers a plan command that lost its last race as 409 concurrent-change', () => {
    const sent = answer(new ConcurrencyError('plan/t/ae', 1, 2));
    expect(sent.status).toBe(409);
    expect(sent.body).toMatchObject({ type: 'urn:pacer:problem:concurrent-change' });
  });
});
