import { containing, isShortText, numberContaining } from './like';

describe('numberContaining (order number search through the trigram index)', () => {
  it('asks the index for the longest word only and checks the whole text on the rows found', () => {
    expect(numberContaining('o.number', 'SO-2026-0912345')).toEqual({
      sql: 'o.number ilike ? and strpos(lower(o.number), lower(?)) > 0',
      params: ['%0912345%', 'SO-2026-0912345'],
    });
  });

  it('keeps the plain pattern for one word, or when no word has 5 letters or digits', () => {
    for (const text of ['0912345', 'SO-2026-01', '礼品', '%_\\'])
      expect(numberContaining('o.number', text)).toEqual({
        sql: 'o.number ilike ?',
        params: [containing(text)],
      });
  });

  it('asks for a word without pattern characters and compares the whole text literally', () => {
    expect(numberContaining('n', 'a%b-12345_x').params).toEqual(['%12345%', 'a%b-12345_x']);
  });
});

describe('isShortText', () => {
  it('counts characters, not UTF-16 units, against the three of a trigram', () => {
    expect(['王', '加急', '12', '𠀀x', ' '].map(isShortText)).toEqual([true, true, true, true, true]);
    expect(['礼品包', 'abc', '𠀀𠀀𠀀'].map(isShortText)).toEqual([false, false, false]);
  });
});
