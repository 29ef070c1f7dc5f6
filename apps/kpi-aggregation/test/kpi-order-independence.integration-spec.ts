import { KPI_METRICS, KpiSnapshotData, TOPICS } from '@pacer/contracts';
import { pollUntil, RunningService, startTestService, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { oracleSnapshots } from './support/kpi-oracle';
import { buildScenario } from './support/kpi-scenario';
import { inputProducer, latestSnapshots, produceEvents, withoutRevision } from './support/kpi-service.fixture';

describe('the same events in two orders into two fresh services', () => {
  const services: RunningService[] = [];
  const recorders: TopicRecorder[] = [];

  afterAll(async () => {
    await Promise.all(recorders.map((r) => r.stop()));
    await Promise.all(services.map((s) => s.close()));
  });

  it('end with identical snapshots', async () => {
    const scenario = buildScenario(uniqueName('order'), 2000, 3);
    const orders = [
      [...scenario.setup, ...scenario.activities],
      // Everything backwards: activities before their roster, voids before what they void, settings last.
      [...scenario.activities].reverse().concat([...scenario.setup].reverse()),
    ];
    const expected = oracleSnapshots(scenario.tenantId, orders[0] ?? []);
    const producer = await inputProducer();
    for (const order of orders) {
      const svc = await startTestService(KpiAggregationService);
      services.push(svc);
      recorders.push(await new TopicRecorder(testKafka(), [svc.topic(TOPICS.kpi)]).start());
      await produceEvents(producer, svc.topicPrefix, order, 250);
    }
    await producer.disconnect();

    const states: Map<string, Omit<KpiSnapshotData, 'revision'>>[] = [];
    for (const recorder of recorders) {
      const topic = await pollUntil(
        () => latestSnapshots(recorder.records, scenario.tenantId),
        (t) => [...expected].every(([k, want]) => JSON.stringify(t.get(k)?.metrics) === JSON.stringify(want.metrics) && t.get(k)?.asOf === want.asOf),
        { timeoutMs: 40_000, intervalMs: 250, what: 'the oracle snapshots' },
      );
      // Keys only one order produced (a team day emptied when the late roster arrived) must count nothing.
      const extra = [...topic].filter(([k]) => !expected.has(k));
      for (const [key, s] of extra) {
        expect({ key, counted: KPI_METRICS.filter((m) => ![0, '0.00', null].includes(s.metrics[m] as never)) }).toEqual({ key, counted: [] });
      }
      states.push(withoutRevision(new Map([...topic].filter(([k]) => expected.has(k)))));
    }
    expect(states[1]).toEqual(states[0]);
  });
});
