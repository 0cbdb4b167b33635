/** Latencies per endpoint and outcome counts, collected in a load worker and merged by bench:load. */
export interface EndpointSamples {
  latenciesMs: number[];
  ok: number;
  /** Non-2xx answers by status, and transport failures (timeouts, refused connections) as "network". */
  failures: Record<string, number>;
  /** The first transport error, to say what went wrong. */
  firstError?: string;
}

export type Samples = Record<string, EndpointSamples>;

export class Recorder {
  readonly samples: Samples = {};

  private of(endpoint: string): EndpointSamples {
    this.samples[endpoint] ??= { latenciesMs: [], ok: 0, failures: {} };
    return this.samples[endpoint];
  }

  /** Sends one request, records its latency and outcome; returns the response, or null after a transport failure. */
  async call(endpoint: string, url: string, init: RequestInit, timeoutMs = 10_000): Promise<Response | null> {
    const entry = this.of(endpoint);
    const started = performance.now();
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const body = await response.arrayBuffer();
      entry.latenciesMs.push(performance.now() - started);
      if (response.ok) entry.ok += 1;
      else entry.failures[String(response.status)] = (entry.failures[String(response.status)] ?? 0) + 1;
      return new Response(response.status === 204 ? null : body, { status: response.status, headers: response.headers });
    } catch (error) {
      entry.firstError ??= error instanceof Error ? `${error.name}: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
      entry.latenciesMs.push(performance.now() - started);
      entry.failures.network = (entry.failures.network ?? 0) + 1;
      return null;
    }
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function mergeSamples(all: Samples[]): Samples {
  const merged: Samples = {};
  for (const samples of all) {
    for (const [endpoint, s] of Object.entries(samples)) {
      const into = (merged[endpoint] ??= { latenciesMs: [], ok: 0, failures: {} });
      for (const l of s.latenciesMs) into.latenciesMs.push(l);
      into.ok += s.ok;
      into.firstError ??= s.firstError;
      for (const [k, v] of Object.entries(s.failures)) into.failures[k] = (into.failures[k] ?? 0) + v;
    }
  }
  return merged;
}
