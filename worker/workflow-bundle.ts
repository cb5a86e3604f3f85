import { bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { TRACED_WORKFLOW_INTERCEPTOR_MODULES, WORKFLOW_INTERCEPTOR_MODULES } from './observability';

/**
 * The workflow code as one file, written by `npm run build` beside the compiled worker. A worker that
 * bundles at start runs webpack in its own process, which leaves about 80 MB of its RSS behind for good;
 * loading the prebuilt file does not.
 */
export const PREBUILT_WORKFLOW_BUNDLE = path.join(__dirname, '..', 'workflow-bundle.js');

/** The same with Temporal's OpenTelemetry workflow interceptors, for a worker that traces. */
export const PREBUILT_TRACED_WORKFLOW_BUNDLE = path.join(__dirname, '..', 'workflow-bundle.traced.js');

const silent = { trace() {}, debug() {}, info() {}, log() {} };

/** Bundles `workflows/` with the worker's workflow interceptors (and the tracing ones when `traced`). */
export async function bundleWorkflows(
  report: { warn: (message: string) => void; error: (message: string) => void } = console,
  traced = false,
): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: traced ? TRACED_WORKFLOW_INTERCEPTOR_MODULES : WORKFLOW_INTERCEPTOR_MODULES,
    logger: { ...silent, warn: (m) => report.warn(m), error: (m) => report.error(m) },
  });
  return code;
}

function newestChange(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const file = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestChange(file) : statSync(file).mtimeMs);
  }, 0);
}

/**
 * The prebuilt bundle, when there is one at least as new as the compiled workflows it was built from;
 * undefined otherwise (running from source, or compiled without bundling), and the worker bundles itself.
 */
export function prebuiltWorkflowBundle(traced = false): WorkflowBundleOption | undefined {
  const file = traced ? PREBUILT_TRACED_WORKFLOW_BUNDLE : PREBUILT_WORKFLOW_BUNDLE;
  if (!existsSync(file)) return undefined;
  const workflows = path.dirname(require.resolve('../workflows'));
  if (statSync(file).mtimeMs < newestChange(workflows)) return undefined;
  return { codePath: file };
}
