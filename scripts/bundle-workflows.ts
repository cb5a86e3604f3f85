/**
 * Writes the workflow bundle the compiled worker loads (`npm run build` runs it after `tsc`), so that
 * workers do not run webpack at start.
 */
import { writeFileSync } from 'node:fs';
import { PREBUILT_WORKFLOW_BUNDLE, bundleWorkflows } from '../worker/workflow-bundle';

bundleWorkflows()
  .then((code) => writeFileSync(PREBUILT_WORKFLOW_BUNDLE, code))
  .catch((error: unknown) => {
    console.error('bundle-workflows failed:', error);
    process.exit(1);
  });
