import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callerOf, formatDuration, mapCallStatus, mapRecording, mapTranscription } from './twilio-voice.mapper.ts';
import type { VoiceParams } from './twilio-voice.mapper.ts';
import { normalizePhone } from './phone-number.ts';

const now = new Date('2026-03-02T10:00:00.000Z');
const config = { country: undefined, transcribe: true };
const sampleFile = path.resolve('../shared/data/payloads/twilio/twilio-voice-status-callback.txt');

function sampleParams(): VoiceParams {
  const text = fs.readFileSync(sampleFile, 'utf8');
  // The marker also appears in the file's comments; the body is what follows its last occurrence.
  const body = text.slice(text.lastIndexOf('--- BODY ---') + '--- BODY ---'.length).trim();
  return Object.fromEntries(new URLSearchParams(body));
}

describe.skipIf(!fs.existsSync(sampleFile))('the real status-callback sample', () => {
  it('is a call the brand placed (outbound-api): not a customer contact', () => {
    const mapping = mapCallStatus(sampleParams(), config, now);
    expect(mapping).toEqual({ kind: 'skip', reason: 'a call the brand placed' });
  });

  it('as an incoming call it becomes one private message from the caller in E.164, keyed by CallSid', () => {
    const mapping = mapCallStatus({ ...sampleParams(), Direction: 'inbound' }, config, now);
    if (mapping.kind !== 'message') throw new Error(`expected a message, got ${mapping.kind}`);
    expect(mapping.message.externalId).toBe('CAf19604a3eec3e63d157870c5f7f3b3a0');
    expect(mapping.message.author).toMatchObject({ platform: 'phone', externalId: '+15107571675' });
    expect(mapping.message.text).toBe('Phone call from +15107571675, 42 s');
    expect(mapping.message.isPublic).toBe(false);
    // The fixture's "Thurs, 20 July 1989" is not a date Date can read: the receive time stands in.
    expect(mapping.message.sentAt).toBe(now.toISOString());
    expect(mapping.message.raw).toMatchObject({ callStatus: 'completed', durationSeconds: 42, fromCity: 'SAN FRANCISCO', answeredBy: 'human' });
  });
});

const call: VoiceParams = {
  CallSid: 'CA00000000000000000000000000000001', AccountSid: 'AC1', From: '+14155550123', To: '+18005550100', Direction: 'inbound',
};

describe('mapCallStatus', () => {
  it.each([
    ['ringing', 'skip'],
    ['in-progress', 'skip'],
    ['completed', 'message'],
    ['no-answer', 'message'],
    ['busy', 'message'],
  ])('CallStatus %s → %s', (status, kind) => {
    expect(mapCallStatus({ ...call, CallStatus: status, CallDuration: '10' }, config, now).kind).toBe(kind);
  });

  it('a call that never connected is a missed call', () => {
    const mapping = mapCallStatus({ ...call, CallStatus: 'no-answer', CallDuration: '0' }, config, now);
    expect(mapping.kind === 'message' && mapping.message.text).toBe('Missed call from +14155550123 (no-answer)');
  });

  it('uses a parseable RFC 2822 Timestamp as the sent time', () => {
    const mapping = mapCallStatus({ ...call, CallStatus: 'completed', CallDuration: '5', Timestamp: 'Mon, 02 Mar 2026 09:53:19 +0000' }, config, now);
    expect(mapping.kind === 'message' && mapping.message.sentAt).toBe('2026-03-02T09:53:19.000Z');
  });

  it('without a CallSid there is nothing to key the message by', () => {
    expect(mapCallStatus({ ...call, CallSid: '', CallStatus: 'completed' }, config, now).kind).toBe('skip');
  });
});

describe('voicemail', () => {
  const recording = { ...call, RecordingSid: 'RE00000000000000000000000000000001', RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE00000000000000000000000000000001' };

  it('waits for the transcript when one is coming', () => {
    expect(mapRecording({ ...recording, RecordingDuration: '42' }, config, now)).toMatchObject({ kind: 'wait' });
  });

  it('is stored at once without transcription, or when too long to transcribe', () => {
    for (const [params, cfg, text] of [
      [{ ...recording, RecordingDuration: '42' }, { ...config, transcribe: false }, 'Voicemail (no transcript), 42 s'],
      [{ ...recording, RecordingDuration: '185' }, config, 'Voicemail (no transcript), 3 min 5 s'],
    ] as const) {
      const mapping = mapRecording(params, cfg, now);
      if (mapping.kind !== 'message') throw new Error('expected a message');
      expect(mapping.message).toMatchObject({ externalId: recording.RecordingSid, replyToExternalId: call.CallSid, text });
    }
  });

  it('finds the RecordingSid in the recording URL when the action request lacks it', () => {
    const mapping = mapRecording({ ...recording, RecordingSid: '', RecordingDuration: '300' }, config, now);
    expect(mapping.kind === 'message' && mapping.message.externalId).toBe(recording.RecordingSid);
  });

  it('an empty recording is nothing', () => {
    expect(mapRecording({ ...recording, RecordingDuration: '0' }, config, now).kind).toBe('skip');
  });

  it('the transcript becomes the text; a failed transcription says so', () => {
    const done = mapTranscription({ ...recording, TranscriptionStatus: 'completed', TranscriptionText: 'My router is dead again, call me back.' }, config, now);
    expect(done.kind === 'message' && done.message).toMatchObject({ externalId: recording.RecordingSid, text: 'My router is dead again, call me back.' });
    const failed = mapTranscription({ ...recording, TranscriptionStatus: 'failed', TranscriptionText: '' }, config, now);
    expect(failed.kind === 'message' && failed.message.text).toBe('Voicemail (no transcript)');
  });
});

describe('callerOf', () => {
  it.each([
    ['+14155550123', '+14155550123'],
    ['Anonymous', 'anonymous:CA1'],
    ['client:alice', 'anonymous:CA1'],
    ['+266696687', 'anonymous:CA1'],
  ])('From %s → author %s', (from, externalId) => {
    expect(callerOf({ From: from }, 'CA1', { country: undefined }).externalId).toBe(externalId);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+1 (415) 555-0123', undefined, '+14155550123'],
    ['(415) 555-0123', 'US', '+14155550123'],
    ['(415) 555-0123', undefined, null],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['not a number', 'US', null],
    ['', 'US', null],
  ] as const)('%s (%s) → %s', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([[0, '0 s'], [42, '42 s'], [60, '1 min'], [125, '2 min 5 s'], [3725, '1 h 2 min']])('%i → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
