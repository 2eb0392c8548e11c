/**
 * Single-flight memoization: concurrent callers share one in-flight load, a success is kept,
 * a failure is forgotten (so the next caller tries again instead of inheriting the error).
 */
export class SingleFlight<T> {
  private value: Promise<T> | undefined;

  get(load: () => Promise<T>): Promise<T> {
    if (!this.value) {
      const attempt = load();
      this.value = attempt;
      attempt.catch(() => {
        if (this.value === attempt) this.value = undefined;
      });
    }
    return this.value;
  }

  /** Forgets the kept value; the next `get` loads afresh. */
  reset(): void {
    this.value = undefined;
  }
}

/** `SingleFlight` per key. */
export class KeyedSingleFlight<K, T> {
  private readonly entries = new Map<K, SingleFlight<T>>();

  get(key: K, load: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = new SingleFlight<T>();
      this.entries.set(key, entry);
    }
    return entry.get(load);
  }
}
