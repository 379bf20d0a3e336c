/** Runs async tasks with at most `size` in flight. */
export class TaskPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly size: number) {}

  /** Waits for a free slot, then starts `task` without waiting for it to finish. */
  async submit(task: () => Promise<void>): Promise<void> {
    while (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    const run = task().finally(() => {
      this.running--;
      this.inFlight.delete(run);
      this.waiting.shift()?.();
    });
    this.inFlight.add(run);
  }

  /** Resolves when every submitted task has settled. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
