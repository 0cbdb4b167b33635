import client from 'prom-client';

/** Parley's Prometheus metrics, one registry per app instance so tests can build several apps in one process. */
export interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<'method' | 'route' | 'status'>;
  httpDuration: client.Histogram<'method' | 'route'>;
  messagesIngested: client.Counter<'channel_kind' | 'status'>;
}

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  return {
    registry,
    httpRequests: new client.Counter({
      name: 'parley_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: 'parley_http_request_duration_seconds',
      help: 'HTTP request duration by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    messagesIngested: new client.Counter({
      name: 'parley_messages_ingested_total',
      help: 'Messages offered to the ingest pipeline, by channel kind and outcome',
      labelNames: ['channel_kind', 'status'],
      registers: [registry],
    }),
  };
}
