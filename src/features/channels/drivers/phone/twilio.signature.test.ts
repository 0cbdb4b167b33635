import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { twilioSignature, urlVariants, validateTwilioRequest } from './twilio.signature.ts';

const vectorsFile = path.resolve('../shared/data/payloads/twilio/twilio-request-validation-vectors.json');

interface Vectors {
  authToken: string;
  formRequest: { url: string; params: Record<string, string>; expectedSignature: string };
  jsonBodyRequest: { body: string; url: string; expectedSignature: string };
  emptyJsonBodyRequest: { body: string; url: string; expectedSignature: string; signedUrlVariant: string };
  shaOnlyUrlRequest: { url: string; body: string; expectedSignature: string };
  wrongSignatureExample: string;
}

describe.skipIf(!fs.existsSync(vectorsFile))("Twilio's own request-validation vectors", () => {
  const v = (): Vectors => JSON.parse(fs.readFileSync(vectorsFile, 'utf8'));

  it('signs a form POST exactly as Twilio does', () => {
    const { authToken, formRequest } = v();
    expect(twilioSignature(authToken, formRequest.url, formRequest.params)).toBe(formRequest.expectedSignature);
    expect(validateTwilioRequest(authToken, { url: formRequest.url, params: formRequest.params, signature: formRequest.expectedSignature })).toBe(true);
  });

  it('validates a JSON body through bodySHA256', () => {
    const { authToken, jsonBodyRequest, shaOnlyUrlRequest } = v();
    expect(validateTwilioRequest(authToken, { url: jsonBodyRequest.url, rawBody: jsonBodyRequest.body, signature: jsonBodyRequest.expectedSignature })).toBe(true);
    expect(validateTwilioRequest(authToken, { url: shaOnlyUrlRequest.url, rawBody: shaOnlyUrlRequest.body, signature: shaOnlyUrlRequest.expectedSignature })).toBe(true);
  });

  it('accepts the "{}" vector that Twilio signed with :443 while the request URL has no port', () => {
    const { authToken, emptyJsonBodyRequest: e } = v();
    expect(twilioSignature(authToken, e.url, {})).not.toBe(e.expectedSignature);
    expect(twilioSignature(authToken, e.signedUrlVariant, {})).toBe(e.expectedSignature);
    expect(validateTwilioRequest(authToken, { url: e.url, rawBody: e.body, signature: e.expectedSignature })).toBe(true);
  });

  it('rejects a wrong signature, a changed parameter, a changed body and another token', () => {
    const { authToken, formRequest, jsonBodyRequest, wrongSignatureExample } = v();
    expect(validateTwilioRequest(authToken, { url: formRequest.url, params: formRequest.params, signature: wrongSignatureExample })).toBe(false);
    expect(validateTwilioRequest(authToken, {
      url: formRequest.url, params: { ...formRequest.params, Digits: '9999' }, signature: formRequest.expectedSignature,
    })).toBe(false);
    expect(validateTwilioRequest(authToken, {
      url: jsonBodyRequest.url, rawBody: jsonBodyRequest.body.replace('true', 'false'), signature: jsonBodyRequest.expectedSignature,
    })).toBe(false);
    expect(validateTwilioRequest('54321', { url: formRequest.url, params: formRequest.params, signature: formRequest.expectedSignature })).toBe(false);
    expect(validateTwilioRequest(authToken, { url: formRequest.url, params: formRequest.params, signature: undefined })).toBe(false);
  });
});

describe('twilioSignature', () => {
  it('sorts parameters by name and signs repeated values in sorted order', () => {
    const url = 'https://example.com/hook';
    const expected = crypto.createHmac('sha1', 'tok').update(`${url}AaBa1Ba2Cz`).digest('base64');
    expect(twilioSignature('tok', url, { C: 'z', B: ['a2', 'a1'], A: 'a' })).toBe(expected);
  });

  it('a JSON body without bodySHA256 in the URL is never valid', () => {
    const url = 'https://example.com/hook';
    expect(validateTwilioRequest('tok', { url, rawBody: '{}', signature: twilioSignature('tok', url, {}) })).toBe(false);
  });

  it('any change to any parameter changes the signature (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 }), { minKeys: 1 }), fc.string({ minLength: 1 }), (params, extra) => {
        const url = 'https://example.com/x';
        const signature = twilioSignature('secret', url, params);
        const [first] = Object.keys(params);
        const changed = { ...params, [first]: `${params[first]}${extra}` };
        return validateTwilioRequest('secret', { url, params, signature }) && !validateTwilioRequest('secret', { url, params: changed, signature });
      }),
    );
  });
});

describe('urlVariants', () => {
  it.each([
    ['https://a.example/x?y=1', ['https://a.example/x?y=1', 'https://a.example:443/x?y=1']],
    ['https://a.example:443/x', ['https://a.example:443/x', 'https://a.example/x']],
    ['http://a.example/x', ['http://a.example/x', 'http://a.example:80/x']],
    ['https://a.example:8443/x', ['https://a.example:8443/x']],
  ])('%s', (url, expected) => {
    expect(urlVariants(url)).toEqual(expected);
  });
});
