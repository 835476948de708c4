import { DomainError } from '@xhht/infra';
import { parseProgressExportQuery } from './export-routes';

const UNIT = '0b5f0f6e-7c1a-4d3e-9f57-3a2b1c0d9e8f';
const refusal = (query: string) => {
  try {
    parseProgressExportQuery(new URLSearchParams(query));
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    const e = err as DomainError;
    return { code: e.extensions.code, field: e.extensions.field, message: e.message };
  }
  throw new Error(`${query} was accepted`);
};

describe('progress export query', () => {
  it('takes a unit, a year and an optional date', () => {
    expect(parseProgressExportQuery(new URLSearchParams(`unitId=${UNIT}&year=2025`))).toEqual({ unitId: UNIT, year: 2025 });
    expect(parseProgressExportQuery(new URLSearchParams(`unitId=${UNIT}&year=2024&asOf=2024-12-31`))).toEqual({
      unitId: UNIT,
      year: 2024,
      asOf: '2024-12-31',
    });
  });

  it('refuses what is missing or malformed, in Vietnamese, naming the parameter', () => {
    expect(refusal('year=2025')).toEqual({ code: 'BAD_USER_INPUT', field: ['unitId'], message: 'Thiếu mã đơn vị (unitId)' });
    expect(refusal('unitId=12&year=2025')).toMatchObject({ field: ['unitId'], message: 'Mã đơn vị không hợp lệ: 12' });
    expect(refusal(`unitId=${UNIT}`)).toMatchObject({ field: ['year'], message: 'Thiếu năm báo cáo (year)' });
    for (const year of ['1999', '2101', '2025.5', '2e3', ' 2025', 'năm']) {
      expect(refusal(`unitId=${UNIT}&year=${encodeURIComponent(year)}`)).toMatchObject({ code: 'BAD_USER_INPUT', field: ['year'] });
    }
    expect(refusal(`unitId=${UNIT}&year=2025&asOf=2025-02-30`)).toMatchObject({ field: ['asOf'] });
    expect(refusal(`unitId=${UNIT}&unitId=${UNIT}&year=2025`)).toMatchObject({ field: ['unitId'] });
  });
});
