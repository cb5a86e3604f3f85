/**
 * The workflow sandbox loads each interceptor module and calls its `interceptors` export; a module without
 * one is skipped without a word, so a wrong path would leave workflows untraced (or without their request
 * id) and nothing would fail until someone looked for the spans.
 */
import path from 'node:path';
import {
  TRACED_WORKFLOW_INTERCEPTOR_MODULES,
  WORKFLOW_INTERCEPTOR_MODULES,
} from '../../worker/observability';

describe('workflow interceptor modules', () => {
  const modules = [...new Set([...WORKFLOW_INTERCEPTOR_MODULES, ...TRACED_WORKFLOW_INTERCEPTOR_MODULES])];
  it.each(modules.map((file) => [path.relative(process.cwd(), file), file]))(
    '%s exports the interceptors factory the sandbox calls',
    async (_name, file) => {
      const module = (await import(file)) as { interceptors?: unknown };
      expect(typeof module.interceptors).toBe('function');
    },
  );
});
