/** TwiML documents Parley answers Twilio with. Every value is escaped: greetings come from channel settings. */

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

export interface VoicemailTwimlOptions {
  greeting: string;
  /** `<Record action>`: asked when the caller finishes recording; answers with the goodbye. */
  recordedUrl: string;
  transcriptionUrl: string;
  maxLengthSeconds: number;
  transcribe: boolean;
  language: string;
}

/** Answers an incoming call: a greeting, then voicemail with an optional transcript. */
export function voicemailTwiml(options: VoicemailTwimlOptions): string {
  const transcription = options.transcribe
    ? ` transcribe="true" transcribeCallback="${escapeXml(options.transcriptionUrl)}"`
    : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Response>',
    `  <Say language="${escapeXml(options.language)}">${escapeXml(options.greeting)}</Say>`,
    `  <Record action="${escapeXml(options.recordedUrl)}" method="POST" maxLength="${options.maxLengthSeconds}" playBeep="true"` +
      ` finishOnKey="#"${transcription}/>`,
    '</Response>',
  ].join('\n');
}

/** After the recording: thank the caller and hang up (without an action, Twilio would fetch the call's TwiML again). */
export function goodbyeTwiml(text: string, language: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Response>',
    `  <Say language="${escapeXml(language)}">${escapeXml(text)}</Say>`,
    '  <Hangup/>',
    '</Response>',
  ].join('\n');
}
