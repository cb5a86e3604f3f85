/** Hands the services started in global setup to global teardown (both run in jest's parent process). */
interface Services {
  stop(): Promise<void>;
}

const holder = globalThis as { omsTestServices?: Services };

export function keepForTeardown(services: Services): void {
  holder.omsTestServices = services;
}

/**
 * Whether this jest run started the services already: the integration and browser tiers share them, and
 * jest runs each selected project's global setup.
 */
export function servicesStarted(): boolean {
  return holder.omsTestServices !== undefined;
}

/** Stops the services once, however many projects' teardowns ask. */
export async function stopServices(): Promise<void> {
  const services = holder.omsTestServices;
  holder.omsTestServices = undefined;
  await services?.stop();
}
