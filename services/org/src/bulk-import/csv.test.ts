import { CsvParser, type CsvRecord } from './csv';
import { mapColumns } from './columns';
import { HOUSEHOLD_COLUMNS } from './households';

const parseIn = (chunks: string[]): CsvRecord[] => {
  const parser = new CsvParser();
  const out: CsvRecord[] = [];
  for (const c of chunks) parser.push(c, out);
  parser.end(out);
  return out;
};

describe('CSV parsing', () => {
  const text = '\uFEFFMã thôn;Mã hộ;Chủ hộ\r\nT1;"H;1";"Nguyễn ""Út"" An"\r\n\r\nT2;H2;"Dòng\nhai"\n';

  it('strips the BOM, picks semicolons, unquotes, keeps row numbers across blank lines', () => {
    expect(parseIn([text])).toEqual([
      { row: 1, fields: ['Mã thôn', 'Mã hộ', 'Chủ hộ'] },
      { row: 2, fields: ['T1', 'H;1', 'Nguyễn "Út" An'] },
      { row: 4, fields: ['T2', 'H2', 'Dòng\nhai'] },
    ]);
  });

  it('gives the same records however the input is cut into chunks', () => {
    const whole = parseIn([text]);
    for (let cut = 1; cut < text.length; cut++) expect(parseIn([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });

  it('matches headers case- and diacritic-insensitively, in Vietnamese or English', () => {
    expect(mapColumns(HOUSEHOLD_COLUMNS, ['MA THON', 'mã hộ', 'CHỦ HỘ', 'ghi chú']).index).toEqual({
      unitCode: 0,
      code: 1,
      headName: 2,
      address: -1,
    });
    const en = mapColumns(HOUSEHOLD_COLUMNS, ['village_code', 'Household Code', 'head_name', 'address']);
    expect(en.index).toEqual({ unitCode: 0, code: 1, headName: 2, address: 3 });
    expect(() => mapColumns(HOUSEHOLD_COLUMNS, ['village_code', 'household_code'])).toThrow('Thiếu cột bắt buộc: "Chủ hộ"');
  });
});
