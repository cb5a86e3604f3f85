import { ConnectionException } from '@mikro-orm/core';
import { runInNewContext } from 'node:vm';
import { unreachableDependency } from './unavailable';

describe('unreachableDependency', () => {
  const grpc = (code: number, message = 'grpc') => Object.assign(new Error(message), { code });

  it('names Temporal for gRPC UNAVAILABLE and DEADLINE_EXCEEDED, also as the cause of an SDK error', () => {
    expect(unreachableDependency(grpc(14))).toBe('Temporal');
    expect(unreachableDependency(new Error('wrapped', { cause: grpc(4) }))).toBe('Temporal');
    // RESOURCE_EXHAUSTED and ABORTED: refused for now; an Update-with-Start reports its failed operation's code.
    expect(unreachableDependency(grpc(8))).toBe('Temporal');
    expect(unreachableDependency(grpc(10))).toBe('Temporal');
  });

  it('names Temporal for a call that broke on the way or inside Temporal (CANCELLED, UNKNOWN, INTERNAL)', () => {
    for (const code of [1, 2, 13, 15])
      expect(unreachableDependency(new Error('Workflow Update failed', { cause: grpc(code) }))).toBe(
        'Temporal',
      );
    // A refusal that names the request stays the request's.
    for (const code of [3, 6, 7, 9]) expect(unreachableDependency(grpc(code))).toBeNull();
  });

  it('leaves a refused request to its own mapping: FAILED_PRECONDITION is not an outage', () => {
    expect(
      unreachableDependency(grpc(9, '9 FAILED_PRECONDITION: Update-with-Start could not be executed.')),
    ).toBeNull();
  });

  it("names Temporal when an update is refused because the workflow's task failed (a stalled worker)", () => {
    const refused = new Error(
      'Unable to perform workflow execution update due to Workflow Task in failed state. (code 9)',
      { cause: grpc(9, '9 FAILED_PRECONDITION: Update-with-Start could not be executed.') },
    );
    expect(unreachableDependency(refused)).toBe('Temporal');
  });

  it('names PostgreSQL for lost connections, pool and query timeouts and a server shutting down', () => {
    expect(
      unreachableDependency(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe('PostgreSQL');
    expect(
      unreachableDependency(new Error('Knex: Timeout acquiring a connection. The pool is probably full.')),
    ).toBe('PostgreSQL');
    expect(unreachableDependency(new Error('Query read timeout'))).toBe('PostgreSQL');
    expect(unreachableDependency(new Error('timeout expired'))).toBe('PostgreSQL');
    expect(unreachableDependency(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(
      'PostgreSQL',
    );
    expect(unreachableDependency(new ConnectionException(new Error('gone')))).toBe('PostgreSQL');
  });

  it("recognises a socket error made in another realm (Node's net under jest's VM context)", () => {
    const foreign: unknown = runInNewContext(
      "Object.assign(new Error('connect ECONNRESET 127.0.0.1:5432'), { code: 'ECONNRESET' })",
    );
    expect(foreign instanceof Error).toBe(false);
    expect(unreachableDependency(foreign)).toBe('PostgreSQL');
  });

  it('leaves every other error alone', () => {
    expect(unreachableDependency(new Error('boom'))).toBeNull();
    expect(unreachableDependency(grpc(9, 'other precondition'))).toBeNull();
    expect(unreachableDependency(Object.assign(new Error('unique violation'), { code: '23505' }))).toBeNull();
    expect(unreachableDependency('not an error')).toBeNull();
  });
});
