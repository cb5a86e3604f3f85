import { Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { AppConfig } from '../../config/config';
import { isRole } from '../../db/entities';
import { EscalationRepository, UserRepository } from '../../db/repositories';
import {
  ESCALATION_STAGES,
  parseDuration,
  type EscalationStage,
  type PolicyLevel,
} from '../../domain/escalation';
import { escalationRolloutWorkflowId, waitingOrdersQuery } from '../../workflows/escalation.definitions';
import type { escalationRolloutWorkflow } from '../../workflows/escalation.rollout';
import type { Actor } from '../../domain/order';
import type {
  CalendarChangeDto,
  CalendarDto,
  CalendarInputDto,
  OverdueDto,
  PolicyChangeDto,
  PolicyInputDto,
  PolicyListDto,
} from '../dtos/escalation.dto';
import { invalidField, notFound } from '../errors/domain.error';
import { isTimeZone } from './time-zone';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

function isDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

@Injectable()
export class EscalationService {
  private readonly logger = new Logger(EscalationService.name);

  constructor(
    private readonly temporal: Client,
    private readonly config: AppConfig,
    private readonly escalations: EscalationRepository,
    private readonly users: UserRepository,
  ) {}

  async listPolicies(): Promise<PolicyListDto> {
    return { items: await this.escalations.policies() };
  }

  /** Replaces a stage's policy and starts sending it to every order waiting in that stage. */
  async setPolicy(stage: string, dto: PolicyInputDto, actor: Actor): Promise<PolicyChangeDto> {
    if (!(ESCALATION_STAGES as readonly string[]).includes(stage)) throw notFound('escalation stage', stage);
    const current = await this.escalations.policy(stage as EscalationStage);
    const businessHours = dto.businessHours ?? current.businessHours;
    const levels = await this.validLevels(dto.levels, businessHours);
    const policy = await this.escalations.setPolicy(
      stage as EscalationStage,
      { levels, businessHours },
      actor,
    );
    return { ...policy, appliedTo: await this.rollOut(policy.stage) };
  }

  async getCalendar(): Promise<CalendarDto> {
    return this.escalations.calendar();
  }

  /** Replaces the working-hours calendar and starts sending it to orders waiting under a working-hours policy. */
  async setCalendar(dto: CalendarInputDto, actor: Actor): Promise<CalendarChangeDto> {
    if (!isTimeZone(dto.timeZone))
      throw invalidField('timeZone', `"${dto.timeZone}" is not an IANA time zone`);
    const hours = dto.hours.map(({ weekday, start, end }) => ({ weekday, start, end }));
    hours.forEach((interval, index) => {
      if (minutesOf(interval.start) >= minutesOf(interval.end)) {
        throw invalidField(
          `hours[${index}]`,
          `starts (${interval.start}) at or after it ends (${interval.end})`,
        );
      }
      const overlap = hours.findIndex(
        (other, i) =>
          i < index &&
          other.weekday === interval.weekday &&
          minutesOf(other.start) < minutesOf(interval.end) &&
          minutesOf(interval.start) < minutesOf(other.end),
      );
      if (overlap >= 0) throw invalidField(`hours[${index}]`, `overlaps hours[${overlap}]`);
    });
    const badDay = dto.holidays.findIndex((day) => !isDate(day));
    if (badDay >= 0) throw invalidField(`holidays[${badDay}]`, `"${dto.holidays[badDay]}" is not a date`);
    const calendar = await this.escalations.setCalendar(
      { timeZone: dto.timeZone, hours, holidays: [...dto.holidays].sort() },
      actor,
    );
    let appliedTo = 0;
    for (const policy of await this.escalations.policies()) {
      if (policy.businessHours) appliedTo += await this.rollOut(policy.stage);
    }
    return { ...calendar, appliedTo };
  }

  /** Orders whose current wait has been escalated, grouped by stage and level, longest wait first. */
  async overdue(stage: EscalationStage | undefined, now = Date.now()): Promise<OverdueDto> {
    const groups = new Map<string, OverdueDto['items'][number]>();
    for (const order of await this.escalations.escalatedOrders(stage)) {
      const { escalation } = order;
      const key = `${escalation.stage}:${escalation.level}`;
      let group = groups.get(key);
      if (!group) {
        group = { stage: escalation.stage, level: escalation.level, orders: [] };
        groups.set(key, group);
      }
      group.orders.push({
        orderId: order.orderId,
        number: order.number,
        stage: escalation.stage,
        awaiting: order.awaiting,
        level: escalation.level,
        waitingSince: escalation.since,
        waitedSeconds: Math.floor((now - Date.parse(escalation.since)) / 1000),
        escalatedAt: escalation.escalatedAt ?? escalation.since,
      });
    }
    return { items: [...groups.values()] };
  }

  /** Checks durations, order and recipients; answers 400 naming the first bad field. */
  private async validLevels(levels: PolicyLevel[], businessHours: boolean): Promise<PolicyLevel[]> {
    const minimumRepeat = businessHours ? 60_000 : 1000;
    let previous = 0;
    levels.forEach((level, index) => {
      const after = parseDuration(level.after);
      if (after === null || after <= 0) {
        throw invalidField(
          `levels[${index}].after`,
          `must be a positive ISO 8601 duration in weeks, days, hours, minutes or seconds (like PT4H), got "${level.after}"`,
        );
      }
      if (after <= previous) {
        throw invalidField(
          `levels[${index}].after`,
          `(${level.after}) must be later than the level before it`,
        );
      }
      previous = after;
      if (level.repeatEvery !== undefined) {
        const repeat = parseDuration(level.repeatEvery);
        if (repeat === null || repeat < minimumRepeat) {
          throw invalidField(
            `levels[${index}].repeatEvery`,
            `must be an ISO 8601 duration of at least ${businessHours ? 'PT1M' : 'PT1S'}, got "${level.repeatEvery}"`,
          );
        }
      }
    });
    const usernames = [...new Set(levels.flatMap((level) => level.notify))].filter((name) => !isRole(name));
    const known = new Set(await this.users.existing(usernames));
    levels.forEach((level, index) => {
      const unknown = level.notify.find((name) => !isRole(name) && !known.has(name));
      if (unknown !== undefined) {
        throw invalidField(
          `levels[${index}].notify`,
          `names "${unknown}", which is neither a role nor a user`,
        );
      }
    });
    return levels.map(({ after, notify, repeatEvery }) => ({
      after,
      notify,
      ...(repeatEvery !== undefined ? { repeatEvery } : {}),
    }));
  }

  /**
   * Starts the stage's rollout workflow, which sends the plan in force to every order waiting in the stage
   * (replacing a rollout of an earlier change still under way), and answers how many orders wait there.
   * Thousands of waiting orders take longer than a request may: the rollout goes on after the answer,
   * and survives the API stopping. If Temporal cannot be reached the change is saved but the answer is a
   * 503, and repeating the request sends it.
   */
  private async rollOut(stage: EscalationStage): Promise<number> {
    await this.temporal.workflow.start<typeof escalationRolloutWorkflow>('escalationRolloutWorkflow', {
      workflowId: escalationRolloutWorkflowId(stage),
      taskQueue: this.config.temporal.taskQueue,
      args: [{ stage }],
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    const { count } = await this.temporal.workflow.count(waitingOrdersQuery(stage));
    this.logger.log(`escalation policy for ${stage}: sending it to ${count} waiting orders`);
    return count;
  }
}
