/**
 * Hands stream events to an async handler one at a time, in arrival order, so a cursor saved after an event means
 * every earlier event was handled. Tells the stream to pause when too much is waiting (the socket stops reading and
 * TCP pushes back on the platform), and stops at the first handler failure so the cursor never skips past it.
 */
export interface SerialQueue<T> {
  push(item: T): void;
  /** Drops what has not started (a reconnect replays it from the cursor) and waits for the item in flight. */
  abandon(): Promise<void>;
  /** Waits until everything pushed so far was handled (or the queue failed). */
  drained(): Promise<void>;
  readonly size: number;
  readonly failure: unknown;
}

export interface SerialQueueOptions {
  highWater: number;
  lowWater: number;
  onPressure(paused: boolean): void;
  onFailure(error: unknown): void;
}

export function createSerialQueue<T>(handle: (item: T) => Promise<void>, options: SerialQueueOptions): SerialQueue<T> {
  const items: T[] = [];
  let head = 0;
  let running: Promise<void> | null = null;
  let paused = false;
  let failure: unknown = undefined;
  let failed = false;

  const size = () => items.length - head;

  async function run(): Promise<void> {
    while (size() > 0 && !failed) {
      const item = items[head];
      head += 1;
      if (head > 1024 && head * 2 > items.length) {
        items.splice(0, head);
        head = 0;
      }
      try {
        await handle(item);
      } catch (error) {
        failed = true;
        failure = error;
        items.length = 0;
        head = 0;
        options.onFailure(error);
        return;
      }
      if (paused && size() <= options.lowWater) {
        paused = false;
        options.onPressure(false);
      }
    }
  }

  function kick(): void {
    if (running) return;
    running = run().finally(() => {
      running = null;
      if (size() > 0 && !failed) kick();
    });
  }

  return {
    push(item) {
      if (failed) return;
      items.push(item);
      if (!paused && size() >= options.highWater) {
        paused = true;
        options.onPressure(true);
      }
      kick();
    },
    async abandon() {
      items.length = 0;
      head = 0;
      while (running) await running;
    },
    async drained() {
      while (running) await running;
    },
    get size() {
      return size();
    },
    get failure() {
      return failure;
    },
  };
}
