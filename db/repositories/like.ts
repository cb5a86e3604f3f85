/** `%text%` for (I)LIKE, with the pattern characters of the text itself escaped: search text is text. */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
