import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, defaultGrpcRetryOptions, type GrpcRetryOptions } from '@temporalio/client';
import { AppConfig } from '../../config/config';
import { clientConnectionOptions } from '../../ops/temporal-connection';
import { closableRetries, type ClosableRetries } from '../../ops/temporal-retries';
import { clientInterceptors } from './client-interceptors';

/** How long a request may wait for Temporal, in all its calls together, before it answers 503. */
export const TEMPORAL_REQUEST_DEADLINE_MS = 3000;

/**
 * The SDK's retries of a failed call, with pauses of at most half a second: its own grow to five seconds,
 * and a pause that starts just before the request's deadline would overshoot it by as much.
 */
const defaults = defaultGrpcRetryOptions();
const SHORT_RETRIES: GrpcRetryOptions = {
  retryableDecider: defaults.retryableDecider,
  delayFunction: (attempt, status) => Math.min(500, defaults.delayFunction(attempt, status)),
};

/** The API's retries, stopped when the app shuts down (requests still running then get an error, not a crash). */
const RETRIES = Symbol('TemporalRetries');

/** Provides the Temporal client, injected by its class; the connection closes when the app shuts down. */
@Global()
@Module({
  providers: [
    { provide: RETRIES, useFactory: () => closableRetries(SHORT_RETRIES) },
    {
      provide: Client,
      inject: [AppConfig, RETRIES],
      useFactory: (config: AppConfig, retries: ClosableRetries) => {
        // Connects on first use: the API starts, and answers 503 for what needs Temporal, while it is down.
        // After an outage gRPC waits longer and longer between reconnects (up to two minutes by default):
        // the API should notice within seconds that Temporal is back.
        const connection = Connection.lazy({
          ...clientConnectionOptions(config.temporal),
          connectTimeout: 2000,
          channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2000 },
          interceptors: [retries.interceptor],
        });
        return new Client({
          connection,
          namespace: config.temporal.namespace,
          interceptors: { workflow: clientInterceptors(config) },
        });
      },
    },
  ],
  exports: [Client],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(
    @Inject(Client) private readonly client: Client,
    @Inject(RETRIES) private readonly retries: ClosableRetries,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.retries.close(this.client.connection);
  }
}
