import { SignJWT } from 'jose';
import { issueToken, verifyToken } from './tokens';

describe('bearer tokens', () => {
  const secret = 'a'.repeat(32);
  const now = new Date('2026-11-26T10:00:00Z');
  const issued = issueToken({ id: 'u1', username: 'clerk', tokenVersion: 3 }, secret, 3600, now);

  it('verify while unexpired and signed with our secret', async () => {
    const token = await issued;
    expect(await verifyToken(token, secret, now)).toEqual({
      sub: 'u1',
      username: 'clerk',
      ver: 3,
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 3600,
    });
    expect(await verifyToken(token, secret, new Date('2026-11-26T10:59:59Z'))).not.toBeNull();
  });

  it('stop working when expired', async () => {
    expect(await verifyToken(await issued, secret, new Date('2026-11-26T11:00:00Z'))).toBeNull();
  });

  it('refuse another secret, a tampered payload, no signature and garbage', async () => {
    const token = await issued;
    expect(await verifyToken(token, 'b'.repeat(32), now)).toBeNull();
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'admin' }),
    );
    expect(
      await verifyToken(`${header}.${forged.toString('base64url')}.${signature}`, secret, now),
    ).toBeNull();
    expect(await verifyToken(`${header}.${payload}.`, secret, now)).toBeNull();
    const unsigned = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(await verifyToken(`${unsigned}.${payload}.`, secret, now)).toBeNull();
    expect(await verifyToken('garbage', secret, now)).toBeNull();
  });

  it('refuse a token of another algorithm, even one signed with our secret', async () => {
    const hs512 = await new SignJWT({ username: 'clerk', ver: 0 })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('u1')
      .setIssuedAt(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 60)
      .sign(new TextEncoder().encode(secret));
    expect(await verifyToken(hs512, secret, now)).toBeNull();
  });
});
