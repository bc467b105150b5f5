import { Quota, TokenBucket } from '../../../local/gateway/token-bucket';

test('a bucket gives its burst, then refills at its rate', () => {
  let now = 0;
  const bucket = new TokenBucket(2, 3, () => now);
  expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  now = 500;
  expect([bucket.take(), bucket.take()]).toEqual([true, false]);
});

test('a quota resets with its period', () => {
  let now = Date.UTC(2026, 10, 28, 23, 59);
  const quota = new Quota(2, 'DAY', () => now);
  expect([quota.take(), quota.take(), quota.take()]).toEqual([true, true, false]);
  now = Date.UTC(2026, 10, 29, 0, 1);
  expect(quota.take()).toBe(true);
});
