export { appendEvent, listEventsAfter, listCaseEvents, latestEventSeq } from './event.repository.ts';
export type { EventType, NewEvent, StoredEvent } from './event.repository.ts';
export { createEventNotifier } from './event.notifier.ts';
export type { EventNotifier } from './event.notifier.ts';
