// What every fake records, with a way to wait for the record a test expects.

/** An append-only list of what a fake received, with `waitFor`. */
export class Recorder<T> {
  /** Everything recorded so far, oldest first. */
  readonly items: T[] = [];
  private readonly waiters = new Set<(item: T) => void>();

  /** Records an item and wakes the waiters it matches. */
  push(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) waiter(item);
  }

  /** Resolves with the first item (already recorded or arriving) that matches, or rejects after timeoutMs. */
  waitFor(predicate: (item: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
    const found = this.items.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = (item: T): void => {
        if (!predicate(item)) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`nothing matching arrived within ${timeoutMs} ms (${this.items.length} recorded)`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
