import { isDeadChannel, RenewableConnection } from './renewable-connection';

const DESTROYED = {
  code: 13,
  details:
    'Received RST_STREAM with code 2 triggered by internal client error: The session has been destroyed',
};

describe('isDeadChannel', () => {
  it('is a call that failed on a session Node destroyed under grpc-js', () => {
    expect(isDeadChannel(DESTROYED)).toBe(true);
    expect(isDeadChannel({ code: 14, details: 'The session has been destroyed' })).toBe(true);
  });

  it('is not Temporal being down, slow or refusing', () => {
    expect(isDeadChannel({ code: 14, details: 'No connection established' })).toBe(false);
    expect(isDeadChannel({ code: 4, details: 'Deadline exceeded after 3.000s' })).toBe(false);
    expect(
      isDeadChannel({ code: 13, details: 'Received RST_STREAM with code 2 (Internal server error)' }),
    ).toBe(false);
    expect(isDeadChannel({ code: 0, details: 'OK' })).toBe(false);
  });
});

describe('RenewableConnection', () => {
  // Lazy connections: nothing is dialled until a call is made, and none is made here.
  let renewable: RenewableConnection;
  beforeEach(() => {
    renewable = new RenewableConnection({ address: '127.0.0.1:1' });
  });
  afterEach(() => renewable.close());

  it('replaces a dead channel; the handle the client holds forwards to the new one', () => {
    const before = renewable.connection.workflowService;
    renewable.noticeFailure(DESTROYED);
    expect(renewable.renewals).toBe(1);
    expect(renewable.connection.workflowService).not.toBe(before);
  });

  it('keeps the channel when Temporal is merely down or slow', () => {
    const before = renewable.connection.workflowService;
    renewable.noticeFailure({ code: 14, details: 'connect ECONNREFUSED 127.0.0.1:1' });
    renewable.noticeFailure({ code: 4, details: 'Deadline exceeded' });
    expect(renewable.renewals).toBe(0);
    expect(renewable.connection.workflowService).toBe(before);
  });

  it('replaces it at most once per burst of failures', () => {
    renewable.noticeFailure(DESTROYED);
    renewable.noticeFailure(DESTROYED);
    renewable.noticeFailure(DESTROYED);
    expect(renewable.renewals).toBe(1);
  });

  it('closing a replaced connection keeps the call context of the one in use', async () => {
    const deadline = Date.now() + 3000;
    const seen = await renewable.connection.withDeadline(deadline, async () => {
      const old = renewable.connection.workflowService;
      renewable.noticeFailure(DESTROYED);
      expect(renewable.connection.workflowService).not.toBe(old);
      await renewable.close();
      return renewable.connection.callContextStorage.getStore();
    });
    expect(seen).toMatchObject({ deadline });
  });

  it("a request's deadline holds for its calls on the replacement", async () => {
    const deadline = Date.now() + 3000;
    const seen = await renewable.connection.withDeadline(deadline, () => {
      renewable.noticeFailure(DESTROYED);
      return Promise.resolve(renewable.connection.callContextStorage.getStore());
    });
    expect(seen).toMatchObject({ deadline });
  });
});
