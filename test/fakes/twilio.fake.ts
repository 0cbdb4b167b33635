import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * Twilio's side of the voice webhooks: builds the form-encoded requests Twilio sends and signs them the way Twilio
 * does (written here independently of Parley's validator, so a test can catch the two disagreeing).
 */

export function signTwilio(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key], url);
  return crypto.createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export interface TwilioPost {
  /** The public base Twilio was told to call (https://parley.example.com). */
  base: string;
  path: string;
  params: Record<string, string>;
  authToken: string;
  /** The URL Twilio signs, when it differs from base + path (e.g. with an explicit :443). */
  signedUrl?: string;
  signature?: string | null;
}

export function postTwilio(app: FastifyInstance, post: TwilioPost): Promise<LightMyRequestResponse> {
  const signature = post.signature === undefined ? signTwilio(post.authToken, post.signedUrl ?? `${post.base}${post.path}`, post.params) : post.signature;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1' };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  return app.inject({ method: 'POST', url: post.path, headers, payload: new URLSearchParams(post.params).toString() });
}

let sequence = 0;

/** A fresh Twilio-style sid (two letters and 32 hex digits). */
export function twilioSid(prefix: 'CA' | 'RE' | 'TR' | 'AC'): string {
  sequence += 1;
  return `${prefix}${crypto.createHash('md5').update(`${process.pid}:${sequence}:${Math.random()}`).digest('hex')}`;
}

/** The parameters Twilio sends with every voice request for one incoming call. */
export function incomingCallParams(callSid: string, from: string, to = '+18005550100'): Record<string, string> {
  return {
    AccountSid: 'AC8d88ba5085adeac4015ea92ec9a81ded', ApiVersion: '2010-04-01', CallSid: callSid, Direction: 'inbound',
    From: from, Caller: from, To: to, Called: to, FromCity: 'SAN FRANCISCO', FromState: 'CA', FromCountry: 'US',
  };
}
