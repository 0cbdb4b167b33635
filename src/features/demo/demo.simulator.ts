import type { Logger } from '../../platform/logger.ts';
import type { DemoWorkspace } from './demo.seed.ts';
import { demoScenario } from './scenario.ts';
import type { DemoStep } from './scenario.ts';

export interface SimulatorOptions {
  baseUrl: string;
  demo: DemoWorkspace;
  intervalMs: number;
  /** Steps sent at once on start, so a newcomer sees a queue immediately. */
  initialBurst: number;
  logger: Logger;
  /** A distinct run id keeps each start's messages new (external ids are unique per channel). */
  runId: string;
}

export interface Simulator {
  stop(): void;
  /** Resolves when the initial burst has been delivered. */
  ready: Promise<void>;
}

/** Sends the scenario through the public ingest API, round after round, a few messages a minute. */
export function startSimulator(options: SimulatorOptions): Simulator {
  let index = 0;
  let round = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const externalIdOf = (step: DemoStep, r: number) => `demo-${options.runId}-${r}-${step.key}`;

  async function send(step: DemoStep, r: number): Promise<void> {
    const channel = options.demo.channels[step.channel];
    const author = r === 0 ? step.author : { ...step.author, externalId: `${step.author.externalId}-r${r}` };
    const body = {
      externalId: externalIdOf(step, r),
      text: step.text,
      author,
      isPublic: step.isPublic ?? true,
      replyToExternalId: step.replyTo ? externalIdOf({ ...step, key: step.replyTo }, r) : undefined,
    };
    const response = await fetch(`${options.baseUrl}/api/v1/channels/${channel.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${channel.token}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) options.logger.warn({ status: response.status, step: step.key }, 'demo message was refused');
  }

  async function next(): Promise<void> {
    const step = demoScenario[index];
    const r = round;
    index += 1;
    if (index >= demoScenario.length) {
      index = 0;
      round += 1;
    }
    try {
      await send(step, r);
    } catch (error) {
      options.logger.warn({ err: error, step: step.key }, 'demo message could not be sent');
    }
  }

  const ready = (async () => {
    for (let i = 0; i < options.initialBurst && !stopped; i += 1) await next();
    const tick = async () => {
      if (stopped) return;
      await next();
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    };
    if (!stopped) timer = setTimeout(tick, options.intervalMs);
  })();

  return {
    ready,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
