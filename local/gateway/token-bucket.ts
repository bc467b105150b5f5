/** API Gateway's throttling: a token bucket refilled at `rate` per second up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A usage plan's quota: at most `limit` requests per calendar period (UTC). */
export class Quota {
  private periodStart = '';
  private used = 0;

  constructor(
    private readonly limit: number,
    private readonly period: 'DAY' | 'WEEK' | 'MONTH',
    private readonly now: () => number = Date.now,
  ) {}

  private currentPeriod(): string {
    const date = new Date(this.now());
    if (this.period === 'MONTH') return date.toISOString().slice(0, 7);
    if (this.period === 'DAY') return date.toISOString().slice(0, 10);
    const monday = new Date(date);
    monday.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
    return monday.toISOString().slice(0, 10);
  }

  take(): boolean {
    const period = this.currentPeriod();
    if (period !== this.periodStart) {
      this.periodStart = period;
      this.used = 0;
    }
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }
}
