import { readiness, readinessChanges, recordReadiness, registry } from './metrics';

async function value(name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Number(metric?.values[0]?.value ?? NaN);
}

describe('readiness metrics', () => {
  it('exports the last answer and counts changes of answer, not answers', async () => {
    expect(readiness).toBeDefined();
    const before = await value('pacer_readiness_changes_total');
    recordReadiness(true);
    recordReadiness(true);
    expect(await value('pacer_ready')).toBe(1);
    expect(await value('pacer_readiness_changes_total')).toBe(before);
    recordReadiness(false);
    expect(await value('pacer_ready')).toBe(0);
    recordReadiness(true);
    recordReadiness(true);
    expect(await value('pacer_readiness_changes_total')).toBe(before + 2);
    expect(readinessChanges).toBeDefined();
  });
});
