/** `%text%` for (I)LIKE, with the pattern characters of the text itself escaped: search text is text. */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Whether a search text has fewer letters than a trigram (`王`, `加急`, `12`): a trigram index cannot look it
 * up and hands back every row to be checked (3 s on a million orders).
 */
export const isShortText = (text: string): boolean => [...text].length < 3;

/**
 * The condition that an order number contains `text` (case-insensitive, as ILIKE), with its parameters.
 * Every number shares the words of its format (`SO`, the year), whose trigrams are in every row: asking the
 * trigram index for them made it read some 2,000 pages to find one order. So when the text has a word of
 * at least 5 letters or digits besides others (`SO-2026-0912345`), the index is asked for that word only and
 * the whole text is checked on the rows it finds: the same rows, from about 20 pages.
 */
export function numberContaining(column: string, text: string): { sql: string; params: string[] } {
  const longest = (text.match(/[\p{L}\p{N}]+/gu) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length < 5 || longest.length === text.length)
    return { sql: `${column} ilike ?`, params: [containing(text)] };
  return {
    sql: `${column} ilike ? and strpos(lower(${column}), lower(?)) > 0`,
    params: [containing(longest), text],
  };
}
