import { describe, expect, test } from 'vitest';
import { createOriginPolicy, isLoopbackHost } from '../../../main/server/origin';

describe('origin policy', () => {
  const loopback = createOriginPolicy({ loopbackOnly: true, allowedOrigins: ['http://localhost:5173/'] });
  const lan = createOriginPolicy({ loopbackOnly: false });

  test('the served UI itself may connect (Origin matches Host)', () => {
    expect(loopback({ host: '127.0.0.1:4317', origin: 'http://127.0.0.1:4317' })).toEqual({ ok: true });
    expect(lan({ host: '192.168.1.20:4317', origin: 'http://192.168.1.20:4317' })).toEqual({ ok: true });
  });

  test('a page from another site may not', () => {
    expect(loopback({ host: '127.0.0.1:4317', origin: 'http://evil.example' })).toMatchObject({ ok: false });
    expect(loopback({ host: '127.0.0.1:4317', origin: 'http://127.0.0.1:9999' })).toMatchObject({ ok: false });
    expect(lan({ host: '192.168.1.20:4317', origin: 'https://evil.example' })).toMatchObject({ ok: false });
  });

  test('opaque and non-http origins are refused', () => {
    expect(loopback({ host: '127.0.0.1:4317', origin: 'null' })).toMatchObject({ ok: false });
    expect(loopback({ host: '127.0.0.1:4317', origin: 'file://' })).toMatchObject({ ok: false });
  });

  test('an allowlisted origin may connect', () => {
    expect(loopback({ host: '127.0.0.1:4317', origin: 'http://localhost:5173' })).toEqual({ ok: true });
  });

  test('no Origin (a script, not a page) passes here and is left to the token check', () => {
    expect(loopback({ host: '127.0.0.1:4317' })).toEqual({ ok: true });
  });

  test('on loopback, a Host that is not loopback (DNS rebinding) is refused', () => {
    expect(loopback({ host: 'evil.example:4317', origin: 'http://evil.example:4317' })).toMatchObject({ ok: false });
    expect(loopback({ host: 'evil.example:4317' })).toMatchObject({ ok: false });
    expect(lan({ host: 'mybox.local:4317', origin: 'http://mybox.local:4317' })).toEqual({ ok: true });
  });

  test('loopback names', () => {
    for (const host of ['localhost', 'localhost:1', '127.0.0.1:4317', '127.1.2.3', '[::1]:4317']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['10.0.0.1:4317', 'example.com', '0.0.0.0']) expect(isLoopbackHost(host)).toBe(false);
  });
});
