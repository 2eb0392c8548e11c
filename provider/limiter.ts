/**
 * Bounds how many API calls are in flight, and backs off when the API says 429: the limit
 * halves on each rate-limit answer and grows back by one after a run of successes (AIMD), so a
 * fleet of hundreds of licences neither floods the API nor runs one call at a time.
 */
export class AdaptiveLimiter {
  private limit: number;
  private active = 0;
  private successes = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    this.limit = max;
  }

  /** The current limit (for tests and benchmarks). */
  get currentLimit(): number {
    return this.limit;
  }

  /** Waits for a slot; call the returned function when the call is done. */
  async acquire(): Promise<() => void> {
    while (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.wake();
    };
  }

  onRateLimited(): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
  }

  onSuccess(): void {
    if (this.limit >= this.max) return;
    if (++this.successes >= this.limit) {
      this.successes = 0;
      this.limit++;
      this.wake();
    }
  }

  /** Wakes as many waiters as there are free slots; each re-checks before taking one. */
  private wake(): void {
    for (let free = this.limit - this.active; free > 0 && this.waiting.length > 0; free--) {
      (this.waiting.shift() as () => void)();
    }
  }
}
