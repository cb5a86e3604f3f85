/**
 * Writes the workflow bundles the compiled worker loads (`npm run build` runs it after `tsc`), so that
 * workers do not run webpack at start: one plain, one with the tracing interceptors.
 */
import { writeFileSync } from 'node:fs';
import {
  PREBUILT_TRACED_WORKFLOW_BUNDLE,
  PREBUILT_WORKFLOW_BUNDLE,
  bundleWorkflows,
} from '../worker/workflow-bundle';

async function run(): Promise<void> {
  writeFileSync(PREBUILT_WORKFLOW_BUNDLE, await bundleWorkflows());
  writeFileSync(PREBUILT_TRACED_WORKFLOW_BUNDLE, await bundleWorkflows(console, true));
}

run().catch((error: unknown) => {
  console.error('bundle-workflows failed:', error);
  process.exit(1);
});
