import { createHmac } from 'node:crypto';
import { Notification } from '../domain/notification';
import { deliveryRequest, SIGNATURE_HEADER, slackMessage, TIMESTAMP_HEADER } from './render';

const n: Notification = {
  type: 'deal_won',
  tenantId: 't1',
  sourceEventId: 'e1',
  occurredAt: '2026-12-03T10:00:00Z',
  rep: { id: 'r1', name: 'Ada <script>' },
  teams: [{ id: 'team-a', name: 'Hunters' }],
  title: 'Ada <script> won a deal: 12,500.00 USD',
  facts: [{ label: 'Amount', value: '12,500.00 USD' }],
  data: { amount: '12500.00', currency: 'USD' },
};

describe('rendering', () => {
  it('Slack: the story in one escaped line, facts as fields, no links', () => {
    const message = slackMessage(n);
    const text = JSON.stringify(message);
    expect(message['text']).toBe('Ada &lt;script&gt; won a deal: 12,500.00 USD');
    expect(text).toContain('*Amount*\\n12,500.00 USD');
    expect(text).not.toMatch(/https?:\/\//);
  });

  it('webhook: signs timestamp + "." + body with HMAC-SHA256, verifiable by the documented recipe', () => {
    const req = deliveryRequest({ kind: 'webhook', url: 'https://example.com/hook', secret: 's3cret-s3cret-s3cret' }, n, '42', new Date('2026-12-03T10:00:05Z'));
    const timestamp = req.headers[TIMESTAMP_HEADER];
    expect(timestamp).toBe(String(Date.parse('2026-12-03T10:00:05Z') / 1000));
    const expected = createHmac('sha256', 's3cret-s3cret-s3cret').update(`${timestamp}.${req.body}`).digest('hex');
    expect(req.headers[SIGNATURE_HEADER]).toBe(`v1=${expected}`);
    expect(JSON.parse(req.body)).toMatchObject({ deliveryId: '42', type: 'deal_won', data: { amount: '12500.00' } });
  });

  it('Slack requests carry no signature headers', () => {
    const req = deliveryRequest({ kind: 'slack', url: 'https://hooks.slack.com/x' }, n, '1', new Date());
    expect(req.headers[SIGNATURE_HEADER]).toBeUndefined();
  });
});
