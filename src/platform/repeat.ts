import type { Logger } from './logger.ts';

/**
 * Runs `pass` every `intervalMs` until stopped, for the background jobs of `parley work` and `parley start`. Passes
 * never overlap (the next is scheduled when one ends); a failed pass is logged and the next one tries again, so every
 * pass must be idempotent. Any number of processes may run the same job against one database.
 */
export function repeatEvery(what: string, intervalMs: number, logger: Logger, pass: () => Promise<void>): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      await pass();
    } catch (error) {
      logger.warn({ err: error }, `${what} failed; retrying on the next tick`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), intervalMs);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
