/** Hands the services started in global setup to global teardown (both run in jest's parent process). */
interface Services {
  stop(): Promise<void>;
}

const holder = globalThis as { omsTestServices?: Services };

export function keepForTeardown(services: Services): void {
  holder.omsTestServices = services;
}

export async function stopServices(): Promise<void> {
  await holder.omsTestServices?.stop();
}
