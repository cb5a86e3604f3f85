import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, defaultGrpcRetryOptions, type GrpcRetryOptions } from '@temporalio/client';
import { AppConfig } from '../../config/config';
import { clientConnectionOptions } from '../../ops/temporal-connection';
import { closableRetries, type ClosableRetries } from '../../ops/temporal-retries';
import { clientInterceptors } from './client-interceptors';
import { RenewableConnection } from './renewable-connection';

/** How long a request may wait for Temporal, in all its calls together, before it answers 503. */
export const TEMPORAL_REQUEST_DEADLINE_MS = 3000;

/** How often the API pings an idle or busy Temporal connection, and how long it waits for the answer. */
export const KEEPALIVE_TIME_MS = 10_000;
export const KEEPALIVE_TIMEOUT_MS = 5_000;

/**
 * The SDK's retries of a failed call, with pauses of at most half a second: its own grow to five seconds,
 * and a pause that starts just before the request's deadline would overshoot it by as much.
 */
const defaults = defaultGrpcRetryOptions();
const SHORT_RETRIES: GrpcRetryOptions = {
  retryableDecider: defaults.retryableDecider,
  delayFunction: (attempt, status) => Math.min(500, defaults.delayFunction(attempt, status)),
};

/** The API's connection to Temporal, renewed when its channel is found dead; it closes when the app shuts down. */
const CONNECTION = Symbol('TemporalConnection');

/** The API's connection with its retries (stopped when the app shuts down, so requests then end cleanly). */
class ApiTemporalConnection {
  readonly renewable: RenewableConnection;
  private readonly retries: ClosableRetries;

  constructor(config: AppConfig) {
    // Every failed call passes through the retry decider, which also tells the connection, so that a dead
    // channel is replaced on the first call that finds it so.
    this.retries = closableRetries({
      delayFunction: SHORT_RETRIES.delayFunction,
      retryableDecider: (attempt, status) => {
        this.renewable.noticeFailure(status);
        return SHORT_RETRIES.retryableDecider(attempt, status);
      },
    });
    // Connects on first use: the API starts, and answers 503 for what needs Temporal, while it is down.
    // After an outage gRPC waits longer and longer between reconnects (up to two minutes by default):
    // the API should notice within seconds that Temporal is back. A connection that stays open but carries
    // nothing any more (a black-holed route) is found by its unanswered keepalive ping and replaced: within
    // 15 s rather than the SDK's 45 s. Ten seconds is the shortest interval the Temporal frontend accepts
    // (frontend.keepAliveMinTime).
    this.renewable = new RenewableConnection({
      ...clientConnectionOptions(config.temporal),
      connectTimeout: 2000,
      channelArgs: {
        'grpc.initial_reconnect_backoff_ms': 250,
        'grpc.max_reconnect_backoff_ms': 2000,
        'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS,
        'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
      },
      interceptors: [this.retries.interceptor],
    });
  }

  close(): Promise<void> {
    return this.retries.close(this.renewable);
  }
}

/** Provides the Temporal client, injected by its class. */
@Global()
@Module({
  providers: [
    {
      provide: CONNECTION,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new ApiTemporalConnection(config),
    },
    {
      provide: Client,
      inject: [AppConfig, CONNECTION],
      useFactory: (config: AppConfig, connection: ApiTemporalConnection) =>
        new Client({
          connection: connection.renewable.connection,
          namespace: config.temporal.namespace,
          interceptors: { workflow: clientInterceptors(config) },
        }),
    },
  ],
  exports: [Client],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(CONNECTION) private readonly connection: ApiTemporalConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
