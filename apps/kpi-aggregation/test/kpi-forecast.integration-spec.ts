import { KpiSnapshotData, TOPICS } from '@pacer/contracts';
import { pollUntil, RunningService, startTestService, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { KpiEventBuilder } from './support/kpi-event.builder';
import { getJson, inputProducer, latestSnapshots, produceEvents, token } from './support/kpi-service.fixture';

interface Page {
  items: KpiSnapshotData[];
}

// Forecast KPIs on the real broker and database (issue 17): out-of-order opportunity events, a date
// that moves between months (both months restated), a win that closes it and a cancel that reopens it.
describe('forecast KPIs on the real stack', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  const tenantId = uniqueName('forecast');
  const b = new KpiEventBuilder(tenantId);

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService);
    recorder = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.kpi)]).start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await svc?.close();
  });

  const month = async (key: string): Promise<KpiSnapshotData | undefined> =>
    (await getJson<Page>(svc.baseUrl, `/v1/kpis?scope=team&scopeId=hunters&period=month&key=${key}`, await token(tenantId, ['admin']))).body.items[0];

  it('follows the current amount, date, probability and open state of each opportunity', async () => {
    const producer = await inputProducer();
    const won = b.dealWon('ann', '2026-11-20T10:00:00Z', { dealId: 'd1', opportunityId: 'o2', amount: '4000' });
    // The stage change and the quota come before the roster and the opportunity they belong to.
    await produceEvents(producer, svc.topicPrefix, [
      b.stageChanged('bob', '2026-11-10T09:00:00Z', 'o1', { probability: '0.5' }),
      b.quota('ann', '2026-12', '20000'),
      b.opportunity('ann', '2026-11-02T09:00:00Z', 'o1', '10000', { expectedCloseDate: '2026-12-15', probability: '0.2' }),
      b.opportunity('ann', '2026-11-03T09:00:00Z', 'o2', '4000', { expectedCloseDate: '2026-12-20', probability: '0.25' }),
      won,
      b.joined('hunters', 'ann', '2026-01-01T00:00:00Z'),
    ]);
    // o1: 10,000 at 0.5 (the later stage change); o2 is won (in November), so out of December's forecast.
    const december = await pollUntil(
      () => month('2026-12'),
      (s) => s?.metrics.forecastPipeline === '10000.00' && s.metrics.forecastWeighted === '5000.00' && s.metrics.quota === '20000.00',
      { timeoutMs: 30_000, what: "December's team forecast" },
    );
    expect(december?.metrics).toMatchObject({ forecastCoverage: 0.25, revenueWon: '0.00' });

    // o1 slips to January: December is restated (revision up) and January gains it.
    await produceEvents(producer, svc.topicPrefix, [b.stageChanged('ann', '2026-11-25T09:00:00Z', 'o1', { expectedCloseDate: '2027-01-08', amount: '12000' })]);
    const january = await pollUntil(
      () => month('2027-01'),
      (s) => s?.metrics.forecastPipeline === '12000.00',
      { timeoutMs: 30_000, what: "January's team forecast" },
    );
    expect(january?.metrics.forecastWeighted).toBe('6000.00');
    const restated = await pollUntil(
      () => month('2026-12'),
      (s) => s?.metrics.forecastPipeline === '0.00',
      { timeoutMs: 30_000, what: 'December without o1' },
    );
    expect(restated?.revision).toBeGreaterThan(december?.revision ?? Infinity);

    // Cancelling the win reopens o2 in December; the snapshot on the topic agrees with the API.
    await produceEvents(producer, svc.topicPrefix, [b.dealCancelled('ann', '2026-11-28T10:00:00Z', 'd1')]);
    await producer.disconnect();
    const reopened = await pollUntil(
      () => month('2026-12'),
      (s) => s?.metrics.forecastPipeline === '4000.00',
      { timeoutMs: 30_000, what: 'December with o2 reopened' },
    );
    expect(reopened?.metrics).toMatchObject({ forecastWeighted: '1000.00', forecastCoverage: 0.05 });
    const onTopic = await pollUntil(
      async () => [...latestSnapshots(recorder.records, tenantId).values()].find((s) => s.scope === 'team' && s.period.type === 'month' && s.period.key === '2026-12'),
      (s) => s?.revision === reopened?.revision,
      { timeoutMs: 30_000, what: 'the same snapshot on pacer.kpi.v1' },
    );
    expect(onTopic).toEqual(reopened);
  });
});
