import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scratchDir } from '../support/scratch';

const root = path.join(__dirname, '..', '..');

/**
 * Needs the compiled API (`npm run build`, or `npm run test:unit`, which compiles it first): decorator
 * metadata, from which the document's types come, is only complete when tsc sees the whole program.
 *
 * The console's client types are generated from the API's OpenAPI document and committed, so the console
 * typechecks on a fresh clone. This fails when they are stale: run `npm run console:api-types`.
 */
describe("the console's API types", () => {
  it('match the OpenAPI document the API publishes today', () => {
    const dir = scratchDir('oms-api-types-');
    execFileSync(
      process.execPath,
      [path.join(root, 'dist/scripts/openapi-document.js'), path.join(dir, 'openapi.json')],
      {
        cwd: root,
      },
    );
    execFileSync(
      process.execPath,
      [
        path.join(root, 'node_modules/openapi-typescript/bin/cli.js'),
        path.join(dir, 'openapi.json'),
        '-o',
        path.join(dir, 'api.gen.d.ts'),
      ],
      { cwd: root, stdio: 'pipe' },
    );
    const committed = readFileSync(path.join(root, 'console/src/lib/api.gen.d.ts'), 'utf8');
    expect(readFileSync(path.join(dir, 'api.gen.d.ts'), 'utf8')).toBe(committed);
  });
});
