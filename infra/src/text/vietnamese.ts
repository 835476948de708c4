/** Folds Vietnamese text for diacritic-insensitive matching: "Đà Nẵng" → "da nang". */
export const foldVietnamese = (s: string): string =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ').trim();

/** Vietnamese sort order (the same order PostgreSQL gives with COLLATE "vi-x-icu"). */
export const vietnameseCollator = new Intl.Collator('vi');
