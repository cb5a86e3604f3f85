import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig } from '../../config/config';
import { requestIdClientInterceptor } from './request-id.interceptor';

/** How long a request may wait for Temporal, in all its calls together, before it answers 503. */
export const TEMPORAL_REQUEST_DEADLINE_MS = 3000;

/** Provides the Temporal client, injected by its class; the connection closes when the app shuts down. */
@Global()
@Module({
  providers: [
    {
      provide: Client,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        // Connects on first use: the API starts, and answers 503 for what needs Temporal, while it is down.
        const connection = Connection.lazy({ address: config.temporal.address, connectTimeout: 2000 });
        return new Client({
          connection,
          namespace: config.temporal.namespace,
          interceptors: { workflow: [requestIdClientInterceptor] },
        });
      },
    },
  ],
  exports: [Client],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(Client) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
