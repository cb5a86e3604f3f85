import { issueToken, verifyToken } from './tokens';

describe('bearer tokens', () => {
  const secret = 'a'.repeat(32);
  const now = new Date('2026-11-26T10:00:00Z');
  const token = issueToken({ id: 'u1', username: 'clerk' }, secret, 3600, now);

  it('verify while unexpired and signed with our secret', () => {
    expect(verifyToken(token, secret, now)).toMatchObject({ sub: 'u1', username: 'clerk' });
    expect(verifyToken(token, secret, new Date('2026-11-26T10:59:59Z'))).not.toBeNull();
  });

  it('stop working when expired', () => {
    expect(verifyToken(token, secret, new Date('2026-11-26T11:00:00Z'))).toBeNull();
  });

  it('refuse another secret, a tampered payload, no signature and garbage', () => {
    expect(verifyToken(token, 'b'.repeat(32), now)).toBeNull();
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'admin' }),
    );
    expect(verifyToken(`${header}.${forged.toString('base64url')}.${signature}`, secret, now)).toBeNull();
    expect(verifyToken(`${header}.${payload}.`, secret, now)).toBeNull();
    const unsigned = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(verifyToken(`${unsigned}.${payload}.`, secret, now)).toBeNull();
    expect(verifyToken('garbage', secret, now)).toBeNull();
  });
});
