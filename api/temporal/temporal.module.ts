import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig } from '../../config/config';
import { requestIdClientInterceptor } from './request-id.interceptor';

/** Provides the Temporal client, injected by its class; the connection closes when the app shuts down. */
@Global()
@Module({
  providers: [
    {
      provide: Client,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const connection = await Connection.connect({ address: config.temporal.address });
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
