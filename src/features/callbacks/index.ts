export { callbackStatuses, callbackOutcomes } from './callback.types.ts';
export type { CallbackStatus, CallbackOutcome, CallbackView } from './callback.types.ts';
export { scheduleCallback, listCallbacks, completeCallback } from './callback.service.ts';
export type { NewCallbackRequest } from './callback.service.ts';
export { runDueCallbacks } from './callback-due.task.ts';
export { logCall } from './call-log.service.ts';
export type { LoggedCall, CallDirection } from './call-log.service.ts';
