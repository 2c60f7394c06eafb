import { describe, expect, test } from 'vitest';
import { MessageRateLimiter } from '../../../main/session/rate-limit';

describe('message rate limiter', () => {
  const options = { perSecond: 20, burst: 40, abuseLimit: 100, abuseWindowMs: 10_000 };

  test('a burst up to the bucket size passes, the next message is refused', () => {
    const limiter = new MessageRateLimiter(options, () => 0);
    for (let i = 0; i < 40; i++) expect(limiter.take()).toBe('allow');
    expect(limiter.take()).toBe('refuse');
  });

  test('the bucket refills at the sustained rate', () => {
    let now = 0;
    const limiter = new MessageRateLimiter(options, () => now);
    for (let i = 0; i < 40; i++) limiter.take();
    now = 500; // half a second: 10 messages
    for (let i = 0; i < 10; i++) expect(limiter.take()).toBe('allow');
    expect(limiter.take()).toBe('refuse');
  });

  test('a client that keeps sending after being refused is abuse', () => {
    const limiter = new MessageRateLimiter(options, () => 0);
    for (let i = 0; i < 40; i++) limiter.take();
    for (let i = 0; i < 99; i++) expect(limiter.take()).toBe('refuse');
    expect(limiter.take()).toBe('abuse');
  });

  test('refusals spread over time do not add up to abuse', () => {
    let now = 0;
    const limiter = new MessageRateLimiter(options, () => now);
    for (let round = 0; round < 20; round++) {
      now += 11_000;
      for (let i = 0; i < 40; i++) limiter.take();
      for (let i = 0; i < 50; i++) expect(limiter.take()).not.toBe('abuse');
    }
  });
});
