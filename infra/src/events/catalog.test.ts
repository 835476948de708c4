import { EventCatalog, EventValidationError } from './catalog';
import { newEvent } from './cloud-event';

describe('event catalog', () => {
  const catalog = new EventCatalog();
  const data = {
    id: '6f1c1f5e-4d7a-4b43-9d3e-0a0a0a0a0a0a',
    code: '20',
    name: 'Tỉnh Lạng Sơn',
    kind: 'PROVINCE',
    parentId: null,
    validFrom: '2025-07-01',
    validTo: null,
  };

  it('loads one schema per event type from schema/events', () => {
    expect(catalog.types).toContain('vn.xhht.org.admin-unit.created.v1');
  });

  it('accepts a well-formed event', () => {
    expect(() => catalog.validate(newEvent('vn.xhht.org.admin-unit.created.v1', data.id, data))).not.toThrow();
  });

  it('rejects data that breaks the schema, naming the field', () => {
    const event = newEvent('vn.xhht.org.admin-unit.created.v1', data.id, { ...data, kind: 'PLANET' });
    expect(() => catalog.validate(event)).toThrow(EventValidationError);
    expect(() => catalog.validate(event)).toThrow(/\/kind/);
  });

  it('rejects unknown types and broken envelopes', () => {
    expect(() => catalog.validate(newEvent('vn.xhht.org.admin-unit.exploded.v1', data.id, data))).toThrow(/unknown event type/);
    expect(() => catalog.validate({ ...newEvent('vn.xhht.org.admin-unit.created.v1', data.id, data), specversion: '0.3' })).toThrow(
      /envelope/,
    );
  });

  it('refuses to build an event whose type breaks the naming rule', () => {
    expect(() => newEvent('AdminUnitCreated', data.id, data)).toThrow(/Malformed event type/);
  });
});
