import { removeRunDir } from './scratch';
import { stopServices } from './services';

/** Every tier's teardown: the services stop (if this run started them), then the run's folder goes. */
export default async function globalTeardown(): Promise<void> {
  await stopServices();
  removeRunDir();
}
