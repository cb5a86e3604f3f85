import { makeRunDir } from './scratch';

/** The unit tier starts no services: it only has a folder of the run for the files its tests write. */
export default function unitSetup(): void {
  makeRunDir();
}
