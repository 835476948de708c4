import { foldVietnamese } from './vietnamese';

const wholeText = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ').trim();

describe('foldVietnamese', () => {
  it('drops diacritics, folds đ and case, and collapses spaces', () => {
    expect(foldVietnamese('Đà Nẵng')).toBe('da nang');
    expect(foldVietnamese('  NGUYỄN   Thị\tẢnh ')).toBe('nguyen thi anh');
  });

  it('gives word by word what folding the whole text gives, twice in a row too', () => {
    const samples = [
      'Nguyễn Văn An',
      'ĐẶNG ĐỨC Hạnh',
      'Trường Tiểu học Hữu Lũng',
      'a \u0301 b',
      '\u0301',
      'ΟΔΟΣ ΑΒ',
      'ΑΣ\u0301 Β',
      'e\u0301\u0323 x',
      'x\u00a0y z',
      '',
      ' ',
    ];
    for (const s of [...samples, ...samples]) expect(foldVietnamese(s)).toBe(wholeText(s));
  });
});
