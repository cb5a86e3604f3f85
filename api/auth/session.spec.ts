import {
  cookieValue,
  csrfMatches,
  csrfTokenOf,
  deviceCookie,
  deviceIdOf,
  deviceToken,
  isSafeMethod,
  sessionCookie,
} from './session';

describe('the console session', () => {
  const secret = 's'.repeat(32);

  it('binds the anti-forgery token to the session token and the server secret', () => {
    const token = csrfTokenOf('a.b.c', secret);
    expect(csrfMatches('a.b.c', token, secret)).toBe(true);
    expect(csrfMatches('a.b.d', token, secret)).toBe(false);
    expect(csrfMatches('a.b.c', csrfTokenOf('a.b.c', 't'.repeat(32)), secret)).toBe(false);
    expect(csrfMatches('a.b.c', undefined, secret)).toBe(false);
    expect(csrfMatches('a.b.c', '', secret)).toBe(false);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(cookieValue('a=1; oms_session=x.y.z; b=2', 'oms_session')).toBe('x.y.z');
    expect(cookieValue('oms_session_other=1', 'oms_session')).toBeUndefined();
    expect(cookieValue(undefined, 'oms_session')).toBeUndefined();
  });

  it('sets an HttpOnly, SameSite=Strict cookie, Secure only over TLS', () => {
    expect(sessionCookie('x.y.z', 60, false)).toBe(
      'oms_session=x.y.z; Path=/; HttpOnly; SameSite=Strict; Max-Age=60',
    );
    expect(sessionCookie('x.y.z', 60, true)).toMatch(/; Secure$/);
  });

  it('treats only reads as safe without the anti-forgery header', () => {
    expect(['GET', 'head', 'OPTIONS'].map(isSafeMethod)).toEqual([true, true, true]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isSafeMethod)).toEqual([false, false, false, false]);
  });

  it('reads a device token only when this server signed it', () => {
    const token = deviceToken('0b6d7e0c-1c4f-4d83-9d2a-6f0e1f2a3b4c', secret);
    expect(deviceIdOf(token, secret)).toBe('0b6d7e0c-1c4f-4d83-9d2a-6f0e1f2a3b4c');
    expect(deviceIdOf(token, 't'.repeat(32))).toBeNull();
    expect(deviceIdOf(`${token}x`, secret)).toBeNull();
    expect(deviceIdOf(token.replace('0b6d', '1b6d'), secret)).toBeNull();
    expect(deviceIdOf(undefined, secret)).toBeNull();
    expect(deviceIdOf('', secret)).toBeNull();
    expect(deviceCookie(token, false)).toBe(
      `oms_device=${token}; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=31536000`,
    );
  });
});
