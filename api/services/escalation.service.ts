import { Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { isRole } from '../../db/entities';
import { EscalationRepository, UserRepository, type StoredPolicy } from '../../db/repositories';
import {
  ESCALATION_STAGES,
  escalationPolicyChangedSignal,
  stageOf,
  parseDuration,
  toPlan,
  type EscalationStage,
  type CalendarSetting,
  type PolicyLevel,
} from '../../workflows/escalation.definitions';
import { AWAITING_VALUES, type Actor } from '../../workflows/order.definitions';
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

/** The OrderAwaiting values of a watched wait, as a visibility query list: `'approval', 'manager_approval'`. */
const awaitingList = (stage: EscalationStage) =>
  AWAITING_VALUES.filter((awaiting) => stageOf(awaiting) === stage)
    .map((awaiting) => `'${awaiting}'`)
    .join(', ');

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
    private readonly escalations: EscalationRepository,
    private readonly users: UserRepository,
  ) {}

  async listPolicies(): Promise<PolicyListDto> {
    return { items: await this.escalations.policies() };
  }

  /** Replaces a stage's policy and sends it to every order waiting in that stage. */
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
    return { ...policy, appliedTo: await this.propagate(policy, await this.escalations.calendar()) };
  }

  async getCalendar(): Promise<CalendarDto> {
    return this.escalations.calendar();
  }

  /** Replaces the working-hours calendar and sends it to orders waiting under a working-hours policy. */
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
      if (policy.businessHours) appliedTo += await this.propagate(policy, calendar);
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
   * Sends the policy's plan to every order waiting in its stage, found through Temporal visibility. An order
   * that finished meanwhile is skipped; one that starts waiting later reads the policy itself.
   */
  private async propagate(policy: StoredPolicy, calendar: CalendarSetting): Promise<number> {
    const plan = toPlan(policy, calendar);
    const query = `WorkflowType = 'orderWorkflow' AND ExecutionStatus = 'Running' AND OrderAwaiting IN (${awaitingList(policy.stage)})`;
    let sent = 0;
    for await (const workflow of this.temporal.workflow.list({ query })) {
      try {
        await this.temporal.workflow
          .getHandle(workflow.workflowId)
          .signal(escalationPolicyChangedSignal, plan);
        sent++;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    this.logger.log(`escalation policy ${policy.stage} v${policy.version} sent to ${sent} waiting orders`);
    return sent;
  }
}
