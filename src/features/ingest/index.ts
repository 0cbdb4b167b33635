export { ingestMessageOnce as ingestMessage } from './ingest.pipeline.ts';
export type { IngestDeps, IngestChannel, IngestOutcome, IngestStatus, IngestOptions } from './ingest.pipeline.ts';
export { inboundMessageSchema, inboundBatchSchema, inboundAuthorSchema, maxBatchSize, sanitizeText } from './inbound.schema.ts';
export type { InboundMessage, InboundMessageInput } from './inbound.schema.ts';
