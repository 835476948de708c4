import { expandOutboxBatch, outboxEventTemplates, serializeOutboxBatch, type OutboxBatchPayload } from './outbox';

/** A batch row's events as the relay sends them: the same text as serializing each expanded event. */
describe('serializing a batch outbox row', () => {
  const A = 'vn.xhht.recognition.recognition.granted.v1';
  const B = 'vn.xhht.org.household.registered.v1';
  const batch = (common?: Record<string, unknown>): OutboxBatchPayload => {
    const templates = JSON.parse(outboxEventTemplates([A, B], new Date('2026-01-10T03:00:00Z'), common ? { [A]: common } : {}));
    return {
      envelopes: { [A]: templates[A].envelope, [B]: templates[B].envelope },
      events: [
        ['7b0c1f40-1111-4a4a-8b8b-000000000001', 's-1', A, { recognitionId: 'r1', level: 'ACHIEVED', note: 'Gia đình "học tập"' }],
        ['7b0c1f40-1111-4a4a-8b8b-000000000002', 's-2', B, { id: 'h2', code: 'H02' }],
        ['7b0c1f40-1111-4a4a-8b8b-000000000003', 's-3', A, {}],
        // an event's own field over a shared one of the same name
        ['7b0c1f40-1111-4a4a-8b8b-000000000004', 's-4', A, { year: 2024, level: 'LEVEL_1' }],
      ],
    };
  };

  it.each([
    ['without shared data', undefined],
    ['with shared data', { decisionId: 'd1', year: 2025, title: 'LEARNING_FAMILY' }],
  ])('%s', (_name, common) => {
    const b = batch(common);
    const expanded = expandOutboxBatch(b);
    const serialized = serializeOutboxBatch(b);
    expect(serialized.map((e) => e.value)).toEqual(expanded.map((e) => JSON.stringify(e)));
    expect(serialized.map((e) => [e.id, e.subject, e.type])).toEqual(expanded.map((e) => [e.id, e.subject, e.type]));
    if (common) expect(expanded[3]!.data).toEqual({ ...common, year: 2024, level: 'LEVEL_1' });
    expect(expanded[1]!.data).toEqual({ id: 'h2', code: 'H02' });
  });
});
