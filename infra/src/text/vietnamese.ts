const foldText = (s: string): string =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ').trim();

/** Words folded so far: Vietnamese names and places use a few thousand distinct syllables. */
const foldedWords = new Map<string, string>();
const MAX_FOLDED_WORDS = 20000;
/** Words separated by single spaces, nothing around them. */
const SPACED_WORDS = /^\S+(?: \S+)*$/;

/**
 * Folds Vietnamese text for diacritic-insensitive matching: "Đà Nẵng" → "da nang".
 * Text of words separated by single spaces (a name, mostly) is folded word by word, each word
 * once; nothing in folding crosses a space, so the result is the same as folding the whole text
 * (a word of combining marks alone, which would vanish and leave two spaces, takes the whole path).
 */
export function foldVietnamese(s: string): string {
  if (!SPACED_WORDS.test(s)) return foldText(s);
  let out = '';
  for (let from = 0; ;) {
    const end = s.indexOf(' ', from);
    const word = end < 0 ? s.slice(from) : s.slice(from, end);
    let folded = foldedWords.get(word);
    if (folded === undefined) {
      folded = foldText(word);
      if (folded === '') return foldText(s);
      if (foldedWords.size >= MAX_FOLDED_WORDS) foldedWords.clear();
      foldedWords.set(word, folded);
    }
    out = from === 0 ? folded : `${out} ${folded}`;
    if (end < 0) return out;
    from = end + 1;
  }
}

/** Vietnamese sort order (the same order PostgreSQL gives with COLLATE "vi-x-icu"). */
export const vietnameseCollator = new Intl.Collator('vi');
