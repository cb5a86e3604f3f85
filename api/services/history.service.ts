import { Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowNotFoundError, isGrpcServiceError } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { fetchOrderRuns, type History } from '../../activities/order-runs';
import type { ArchivedHistory } from '../../db/repositories';
import { AppConfig } from '../../config/config';
import { archiveSealKeys, type Key } from '../../config/keys';
import {
  CorruptArchiveError,
  OrderArchiveRepository,
  OrderRepository,
  ReturnRepository,
} from '../../db/repositories';
import type { OrderArchiveDto } from '../dtos/history.dto';
import { DomainError, notFound } from '../errors/domain.error';
import { describeHistory, type DecodedEvent, type HistoryStep } from '../history/order-history.decoder';
import { withReturnSteps } from '../history/return-steps';
import { bundleWorkflows, prebuiltWorkflowBundle } from '../../worker/workflow-bundle';
import { HeavyWork } from './heavy-work';
import { TEMPORAL_REQUEST_DEADLINE_MS } from '../temporal/temporal.module';

const GRPC_NOT_FOUND = 5;
/** The marker Temporal's SDK core records for each local activity, with its type, attempt and result. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface VerifyResult {
  ok: boolean;
  events: number;
  detail: string;
}

/** An event time as ISO text; seconds arrive as Long from Temporal and as plain numbers from archived JSON. */
function isoTime(time: HistoryEvent['eventTime']): string {
  if (!time) return '';
  const seconds = time.seconds as number | { toNumber(): number } | null | undefined;
  const whole = typeof seconds === 'number' ? seconds : (seconds?.toNumber() ?? 0);
  return new Date(whole * 1000 + Math.floor((time.nanos ?? 0) / 1e6)).toISOString();
}

const decode = (payload: Payload | null | undefined): unknown =>
  payload ? defaultPayloadConverter.fromPayload(payload) : undefined;

/** The fields of one Temporal event that the decoder reads. */
function decodeEvent(event: HistoryEvent): DecodedEvent | null {
  const base = {
    id: Number(event.eventId),
    at: isoTime(event.eventTime),
  };
  if (event.workflowExecutionStartedEventAttributes) {
    return {
      ...base,
      type: 'WorkflowExecutionStarted',
      input: decode(event.workflowExecutionStartedEventAttributes.input?.payloads?.[0]),
      continued: Boolean(event.workflowExecutionStartedEventAttributes.continuedExecutionRunId),
    };
  }
  if (event.workflowExecutionUpdateAcceptedEventAttributes) {
    const request = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input;
    return {
      ...base,
      type: 'WorkflowExecutionUpdateAccepted',
      name: request?.name ?? undefined,
      input: decode(request?.args?.payloads?.[0]),
    };
  }
  if (event.workflowExecutionUpdateCompletedEventAttributes) {
    const attributes = event.workflowExecutionUpdateCompletedEventAttributes;
    const failure = attributes.outcome?.failure;
    return {
      ...base,
      type: 'WorkflowExecutionUpdateCompleted',
      scheduledEventId: Number(attributes.acceptedEventId),
      ...(failure ? { failure: failure.message ?? '' } : {}),
    };
  }
  if (event.activityTaskScheduledEventAttributes) {
    const attributes = event.activityTaskScheduledEventAttributes;
    return {
      ...base,
      type: 'ActivityTaskScheduled',
      name: attributes.activityType?.name ?? undefined,
      input: decode(attributes.input?.payloads?.[0]),
    };
  }
  if (event.activityTaskStartedEventAttributes) {
    const attributes = event.activityTaskStartedEventAttributes;
    return {
      ...base,
      type: 'ActivityTaskStarted',
      scheduledEventId: Number(attributes.scheduledEventId),
      attempt: attributes.attempt ?? 1,
      failure: attributes.lastFailure?.message ?? undefined,
    };
  }
  if (event.activityTaskCompletedEventAttributes) {
    const attributes = event.activityTaskCompletedEventAttributes;
    return {
      ...base,
      type: 'ActivityTaskCompleted',
      scheduledEventId: Number(attributes.scheduledEventId),
      result: decode(attributes.result?.payloads?.[0]),
    };
  }
  if (event.activityTaskFailedEventAttributes) {
    const attributes = event.activityTaskFailedEventAttributes;
    return {
      ...base,
      type: 'ActivityTaskFailed',
      scheduledEventId: Number(attributes.scheduledEventId),
      failure: attributes.failure?.message ?? undefined,
    };
  }
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
    const data = decode(marker.details?.data?.payloads?.[0]) as { activity_type?: string; attempt?: number };
    return {
      ...base,
      type: 'LocalActivity',
      name: data?.activity_type,
      attempt: data?.attempt ?? 1,
      result: decode(marker.details?.result?.payloads?.[0]),
      ...(marker.failure ? { failure: marker.failure.cause?.message ?? marker.failure.message ?? '' } : {}),
    };
  }
  if (event.timerFiredEventAttributes)
    return { ...base, type: 'TimerFired', name: event.timerFiredEventAttributes.timerId ?? undefined };
  if (event.workflowExecutionSignaledEventAttributes) {
    return {
      ...base,
      type: 'WorkflowExecutionSignaled',
      name: event.workflowExecutionSignaledEventAttributes.signalName ?? undefined,
      input: decode(event.workflowExecutionSignaledEventAttributes.input?.payloads?.[0]),
    };
  }
  if (event.workflowExecutionCompletedEventAttributes) return { ...base, type: 'WorkflowExecutionCompleted' };
  return null;
}

/**
 * An order's audit trail, read from its workflow history: from Temporal while it keeps the workflow, from
 * the PostgreSQL archive afterwards.
 */
@Injectable()
export class HistoryService {
  private readonly logger = new Logger('History');
  /** The workflow code histories are replayed against: the worker's prebuilt bundle, or bundled on first use. */
  private bundle: Promise<WorkflowBundleOption> | null = null;
  /** The keys archived records may be sealed with (the current one and earlier ones). */
  private readonly sealKeys: Key[];

  constructor(
    private readonly temporal: Client,
    private readonly orders: OrderRepository,
    private readonly archives: OrderArchiveRepository,
    private readonly returns: ReturnRepository,
    config: AppConfig,
    private readonly heavy: HeavyWork,
  ) {
    const ring = archiveSealKeys(config);
    this.sealKeys = [ring.current, ...ring.previous];
  }

  /** The order's archived record, or null; a record that fails its checksum or seal is a 409 naming that. */
  private async archived(orderId: string) {
    try {
      return await this.archives.find(orderId, this.sealKeys);
    } catch (error) {
      if (error instanceof CorruptArchiveError) throw new DomainError('invalid_state', error.message);
      throw error;
    }
  }

  /**
   * Every run of the order's workflow, oldest first: from Temporal while it keeps the workflow, from the
   * archive the workflow wrote as its last step afterwards.
   */
  async runs(orderId: string): Promise<History[]> {
    if (!(await this.orders.findById(orderId))) throw notFound('order', orderId);
    try {
      return await fetchOrderRuns(this.temporal, orderId);
    } catch (error) {
      // Gone from Temporal (deleted, or past retention): the archive has it.
      const gone =
        error instanceof WorkflowNotFoundError ||
        (isGrpcServiceError(error) && Number(error.code) === GRPC_NOT_FOUND);
      if (!gone) throw error;
      const archived = await this.archived(orderId);
      if (!archived) throw notFound('history of order', orderId);
      const { history, earlierRuns = [] } = JSON.parse(archived.json) as ArchivedHistory;
      return [...earlierRuns, history].map((run) => historyFromJSON(run));
    }
  }

  /** A finished order's permanent record, checked against its checksum and seal. */
  async archive(orderId: string): Promise<OrderArchiveDto> {
    const archived = await this.archived(orderId);
    if (!archived) {
      throw new DomainError('not_found', `order ${JSON.stringify(orderId)} has no archived record (yet)`);
    }
    const { json, ...rest } = archived;
    return { ...rest, record: JSON.parse(json) as Record<string, unknown> };
  }

  /**
   * The business steps of the order, in order of time, across all its runs, with the changes of its returns
   * (recorded by their own workflows) woven in.
   */
  async steps(orderId: string): Promise<HistoryStep[]> {
    const runs = await this.runs(orderId);
    const events = runs
      .flatMap((run) => run.events ?? [])
      .map(decodeEvent)
      .filter((event): event is DecodedEvent => event !== null);
    return withReturnSteps(describeHistory(events), await this.returns.eventsForOrder(orderId));
  }

  /** Temporal's own JSON of the history of the order's current (last) run. */
  async raw(orderId: string): Promise<unknown> {
    const runs = await this.runs(orderId);
    return JSON.parse(historyToJSON(runs[runs.length - 1]!)) as unknown;
  }

  /**
   * Replays every run of the order against the workflow code this server runs (a mismatch means it was not
   * produced by it), and checks the archived record against its checksum and keyed seal when there is one.
   */
  verify(orderId: string): Promise<VerifyResult> {
    // Replaying takes a processor while it runs: within the process's limit (503 with Retry-After beyond it).
    // Its Temporal calls get their own deadline from when it starts: a wait in the queue must not use up the
    // request's, or a queued replay would answer that Temporal cannot be reached.
    return this.heavy.run(() =>
      this.temporal.connection.withDeadline(Date.now() + TEMPORAL_REQUEST_DEADLINE_MS, () =>
        this.verifyNow(orderId),
      ),
    );
  }

  private async verifyNow(orderId: string): Promise<VerifyResult> {
    let archive: { ok: boolean; detail: string } | null = null;
    try {
      const archived = await this.archives.find(orderId, this.sealKeys);
      if (archived)
        archive = {
          ok: true,
          detail:
            archived.sealVersion === 1
              ? 'the archived record matches its checksum only (archived before records were sealed with a key)'
              : 'the archived record matches its seal',
        };
    } catch (error) {
      if (!(error instanceof CorruptArchiveError)) throw error;
      archive = { ok: false, detail: error.message };
    }
    const results = [];
    for (const run of await this.runs(orderId).catch((error: unknown) => {
      // A record that fails its seal cannot be replayed; that is the finding.
      if (archive?.ok === false && error instanceof DomainError) return [];
      throw error;
    }))
      results.push(await this.replay(run));
    const events = results.reduce((sum, result) => sum + result.events, 0);
    if (archive?.ok === false) return { ok: false, events, detail: archive.detail };
    const failed = results.find((result) => !result.ok);
    if (failed) return { ...failed, events };
    const runs = results.length === 1 ? '' : ` in ${results.length} runs`;
    return {
      ok: true,
      events,
      detail: `all ${events} events${runs} reproduced by the current workflow code${archive ? `; ${archive.detail}` : ''}`,
    };
  }

  private async workflowCode(): Promise<WorkflowBundleOption> {
    return prebuiltWorkflowBundle() ?? { code: await bundleWorkflows(this.logger) };
  }

  /** Replays any history (for example one exported earlier) against today's workflow code. */
  async replay(history: History): Promise<VerifyResult> {
    const events = history.events?.length ?? 0;
    this.bundle ??= this.workflowCode();
    try {
      await Worker.runReplayHistory({ workflowBundle: await this.bundle }, history);
      return { ok: true, events, detail: `all ${events} events reproduced by the current workflow code` };
    } catch (error) {
      return { ok: false, events, detail: error instanceof Error ? error.message : String(error) };
    }
  }
}
