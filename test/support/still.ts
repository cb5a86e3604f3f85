import { isDeepStrictEqual } from 'node:util';

/**
 * Asks for a report while the rows it summarises hold still. Test files share one database and move their
 * orders while another file compares a report with the rows: a count read after the report may already
 * include an order that moved in between. The rows are read before and after the request; when they
 * differ, another file's order moved during it and the pair is taken again, up to `attempts` times.
 */
export async function whileStill<T, A>(
  rows: () => Promise<T>,
  ask: () => Promise<A>,
  attempts = 20,
): Promise<{ rows: T; answer: A }> {
  for (let attempt = 1; ; attempt++) {
    const before = await rows();
    const answer = await ask();
    if (isDeepStrictEqual(before, await rows())) return { rows: before, answer };
    if (attempt === attempts)
      throw new Error(`the rows changed during each of ${attempts} requests: no still moment to compare`);
  }
}
