import { Injectable } from '@nestjs/common';
import { DelegationRepository, UserRepository, type Delegation } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { OPERATORS, hasRole } from '../../domain/people';
import type { DelegateDto, DelegationDto } from '../dtos/delegation.dto';
import { invalidField } from '../errors/domain.error';

/** The longest a delegation may run. */
const MAX_DELEGATION_MS = 366 * 86_400_000;

/**
 * A person away hands their work to a delegate until a moment: their tasks show in the delegate's `mine`,
 * and notifications meant for them reach the delegate (inbox and e-mail, by the delegate's own
 * preference). It ends by itself at `until`: every use compares it with the clock of that moment.
 */
@Injectable()
export class DelegationService {
  constructor(
    private readonly delegations: DelegationRepository,
    private readonly users: UserRepository,
  ) {}

  /** The caller's delegation: also one that has run out (then `inForce` is false), or none. */
  async get(actor: Actor, now = new Date()): Promise<DelegationDto> {
    return this.toDto(await this.delegations.of(actor.id), now);
  }

  async set(dto: DelegateDto, actor: Actor, now = new Date()): Promise<DelegationDto> {
    if (dto.userId === null) return this.toDto(await this.delegations.set(actor, null), now);
    if (dto.userId === actor.id) throw invalidField('userId', 'names yourself; name someone else');
    const delegate = await this.users.findById(dto.userId);
    if (!delegate || delegate.disabled || !hasRole(delegate.roles, OPERATORS))
      throw invalidField('userId', 'is not an enabled member of staff');
    const until = new Date(dto.until ?? '');
    if (Number.isNaN(until.getTime())) throw invalidField('until', 'is required with a userId');
    if (until <= now) throw invalidField('until', 'is not in the future');
    if (until.getTime() - now.getTime() > MAX_DELEGATION_MS)
      throw invalidField('until', 'is more than a year ahead');
    return this.toDto(await this.delegations.set(actor, { delegateId: delegate.id, until }), now);
  }

  private toDto(delegation: Delegation | null, now: Date): DelegationDto {
    return {
      delegate: delegation?.delegate ?? null,
      until: delegation?.until.toISOString() ?? null,
      inForce: delegation !== null && delegation.until > now,
    };
  }
}
