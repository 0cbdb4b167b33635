import type { InboundMessage } from '../../../ingest/index.ts';
import { buildInboundMessage, toIsoTime } from '../shared/inbound.builder.ts';
import type { PhoneConfig } from './phone.config.ts';
import { normalizePhone } from './phone-number.ts';

/**
 * Twilio voice webhooks → Parley messages. A call is one message (external id: the CallSid), its voicemail another
 * (external id: the RecordingSid) that answers the call, so both land on one case and a redelivered webhook is a
 * duplicate. Calls the brand placed itself (`outbound-*`) are not customer contacts and are skipped.
 */

export type VoiceMapping =
  | { kind: 'message'; message: InboundMessage }
  /** Nothing to store yet: a later webhook (the transcript) carries the message. */
  | { kind: 'wait'; reason: string }
  | { kind: 'skip'; reason: string };

export type VoiceParams = Record<string, string>;

const terminalStatuses = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
/** Twilio transcribes recordings of up to two minutes; very short ones carry no words worth waiting for. */
const transcribableSeconds = { min: 2, max: 120 };

export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes < 60) return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function secondsOf(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,7}$/.test(value.trim())) return null;
  return Number(value.trim());
}

interface Caller {
  externalId: string;
  handle: string | undefined;
  displayName: string;
  phone: string | null;
}

/** The caller as a Parley author: the E.164 number, or one anonymous author per call when the number is withheld. */
export function callerOf(params: VoiceParams, callSid: string, config: Pick<PhoneConfig, 'country'>): Caller {
  const phone = normalizePhone(params.From ?? params.Caller ?? '', config.country);
  const name = (params.CallerName ?? '').trim().slice(0, 200);
  if (phone) return { externalId: phone, handle: phone, displayName: name || phone, phone };
  return { externalId: `anonymous:${callSid}`, handle: undefined, displayName: name || 'Unknown caller', phone: null };
}

function isOutbound(params: VoiceParams): boolean {
  return (params.Direction ?? 'inbound').startsWith('outbound');
}

function recordingSidOf(params: VoiceParams): string | null {
  const sid = params.RecordingSid?.trim();
  if (sid) return sid;
  // The Record verb's action request always carries the recording's URL, which ends with its sid.
  const match = /\/Recordings\/(RE[0-9a-zA-Z]{10,64})(?:\.[a-z0-9]+)?$/.exec(params.RecordingUrl ?? '');
  return match ? match[1] : null;
}

function callFields(params: VoiceParams): Record<string, string | null> {
  return {
    accountSid: params.AccountSid ?? null,
    callSid: params.CallSid ?? null,
    from: params.From ?? null,
    to: params.To ?? null,
    fromCity: params.FromCity || null,
    fromState: params.FromState || null,
    fromCountry: params.FromCountry || null,
  };
}

/** A status callback: a finished incoming call becomes one message; anything earlier or outbound is skipped. */
export function mapCallStatus(params: VoiceParams, config: Pick<PhoneConfig, 'country'>, now: Date): VoiceMapping {
  const callSid = params.CallSid?.trim();
  if (!callSid) return { kind: 'skip', reason: 'no CallSid' };
  if (isOutbound(params)) return { kind: 'skip', reason: 'a call the brand placed' };
  const status = params.CallStatus ?? '';
  if (!terminalStatuses.has(status)) return { kind: 'skip', reason: `call still ${status || 'unknown'}` };
  const caller = callerOf(params, callSid, config);
  const duration = secondsOf(params.CallDuration);
  const who = caller.phone ?? caller.displayName;
  const text = status === 'completed' && duration !== null && duration > 0
    ? `Phone call from ${who}, ${formatDuration(duration)}`
    : `Missed call from ${who} (${status})`;
  return toMapping({
    externalId: callSid,
    direction: 'inbound',
    text,
    author: { platform: 'phone', externalId: caller.externalId, handle: caller.handle, displayName: caller.displayName },
    isPublic: false,
    sentAt: toIsoTime(params.Timestamp, now, now),
    raw: {
      source: 'twilio', event: 'call.status', ...callFields(params), callStatus: status, direction: params.Direction ?? 'inbound',
      durationSeconds: duration, answeredBy: params.AnsweredBy ?? null, sequenceNumber: params.SequenceNumber ?? null,
    },
  });
}

/**
 * The Record verb's action request (the caller finished the voicemail). When a transcript is on its way the message
 * waits for it; otherwise the voicemail is stored now as "Voicemail (no transcript), 42 s".
 */
export function mapRecording(params: VoiceParams, config: Pick<PhoneConfig, 'country' | 'transcribe'>, now: Date): VoiceMapping {
  const callSid = params.CallSid?.trim();
  const recordingSid = recordingSidOf(params);
  if (!callSid || !recordingSid) return { kind: 'skip', reason: 'no CallSid or RecordingSid' };
  if (params.RecordingStatus && params.RecordingStatus !== 'completed') return { kind: 'skip', reason: `recording ${params.RecordingStatus}` };
  const duration = secondsOf(params.RecordingDuration) ?? 0;
  if (duration === 0) return { kind: 'skip', reason: 'empty recording' };
  if (config.transcribe && duration >= transcribableSeconds.min && duration <= transcribableSeconds.max) {
    return { kind: 'wait', reason: 'the transcript will carry the voicemail' };
  }
  return voicemail(params, callSid, recordingSid, `Voicemail (no transcript), ${formatDuration(duration)}`, duration, config, now);
}

/** The transcription callback: the voicemail with its words, or marked as having none when transcription failed. */
export function mapTranscription(params: VoiceParams, config: Pick<PhoneConfig, 'country'>, now: Date): VoiceMapping {
  const callSid = params.CallSid?.trim();
  const recordingSid = recordingSidOf(params);
  if (!callSid || !recordingSid) return { kind: 'skip', reason: 'no CallSid or RecordingSid' };
  const transcript = (params.TranscriptionText ?? '').trim();
  const duration = secondsOf(params.RecordingDuration);
  const text = params.TranscriptionStatus === 'completed' && transcript
    ? transcript
    : `Voicemail (no transcript)${duration ? `, ${formatDuration(duration)}` : ''}`;
  return voicemail(params, callSid, recordingSid, text, duration, config, now, {
    transcriptionSid: params.TranscriptionSid ?? null, transcriptionStatus: params.TranscriptionStatus ?? null,
  });
}

function voicemail(
  params: VoiceParams,
  callSid: string,
  recordingSid: string,
  text: string,
  duration: number | null,
  config: Pick<PhoneConfig, 'country'>,
  now: Date,
  extra: Record<string, string | null> = {},
): VoiceMapping {
  const caller = callerOf(params, callSid, config);
  return toMapping({
    externalId: recordingSid,
    direction: 'inbound',
    text,
    author: { platform: 'phone', externalId: caller.externalId, handle: caller.handle, displayName: caller.displayName },
    replyToExternalId: callSid,
    isPublic: false,
    sentAt: now.toISOString(),
    raw: {
      source: 'twilio', event: 'voicemail', ...callFields(params), recordingSid, recordingUrl: params.RecordingUrl ?? null,
      durationSeconds: duration, ...extra,
    },
  });
}

function toMapping(candidate: Parameters<typeof buildInboundMessage>[0]): VoiceMapping {
  const message = buildInboundMessage(candidate);
  return message ? { kind: 'message', message } : { kind: 'skip', reason: 'the webhook does not make a valid message' };
}
