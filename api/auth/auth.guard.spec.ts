import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '../../domain/order';
import { DomainError } from '../errors/domain.error';
import { AuthGuard } from './auth.guard';
import type { AuthService } from './auth.service';
import { Public, Roles } from './roles.decorator';

class Routes {
  @Roles('manager')
  managed(): void {}

  @Public()
  open(): void {}

  undeclared(): void {}
}

const staff: Actor = { id: 'u1', username: 'clerk', roles: ['staff'] };

function contextFor(handler: keyof Routes): ExecutionContext {
  const request = { headers: { authorization: 'Bearer x.y.z' } };
  return {
    getHandler: () => Object.getOwnPropertyDescriptor(Routes.prototype, handler)!.value as () => void,
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('the authorization guard', () => {
  // Authentication itself is tested against the running API; here it is a fixed, known user.
  const auth = {
    authenticateRequest: () => Promise.resolve({ actor: staff, sessionToken: null, sessionId: 's1' }),
  } as unknown as AuthService;
  const guard = new AuthGuard(new Reflector(), auth);

  it('lets public routes through without a user', async () => {
    await expect(guard.canActivate(contextFor('open'))).resolves.toBe(true);
  });

  it('refuses a role the route does not list', async () => {
    await expect(guard.canActivate(contextFor('managed'))).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('fails closed on a route that declares no roles', async () => {
    await expect(guard.canActivate(contextFor('undeclared'))).rejects.toBeInstanceOf(DomainError);
  });
});
