import { copyLine, copyValue } from './copy';

describe('COPY text format', () => {
  it('escapes what COPY would read as a separator, a line break or an escape, and writes null as \\N', () => {
    expect(copyValue('Số 1; xóm "Đồng"')).toBe('Số 1; xóm "Đồng"');
    expect(copyValue('a\tb\\c\nd\re')).toBe('a\\tb\\\\c\\nd\\re');
    expect(copyValue('\\N')).toBe('\\\\N');
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(1985)).toBe('1985');
    expect(copyLine(['x', null, 'y'])).toBe('x\t\\N\ty\n');
  });
});
