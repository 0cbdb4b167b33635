import { describe, expect, it } from 'vitest';
import { tokenize } from './feature.extractor.ts';
import { inferIntent } from './intent.rules.ts';
import { detectLanguage } from './language.detector.ts';
import { compileTopics, defaultTopics, tagTopics } from './topics.tagger.ts';
import { assessUrgency } from './urgency.rules.ts';

const tokens = (text: string) => tokenize(text).map((t) => t.norm);

describe('urgency', () => {
  it.each([
    ['no service for 5 days', ['long outage']],
    ['we have been without power for two weeks', ['long outage']],
    ['my dad is on oxygen and the power is out', ['safety']],
    ['this is the third time I have called', ['repeated contact']],
    ['fix it or I am switching to Vodafone', ['churn threat']],
    ['I will report this to Ofcom', ['going public']],
    ['when does the store open?', []],
  ])('%j → %j', (text, signals) => {
    expect(assessUrgency(text, 0, 0).signals).toEqual(signals);
  });

  it('caps at 1 and lifts strong complaints a little', () => {
    expect(assessUrgency('emergency! no service for 3 days, third time calling, cancelling, calling my lawyer', 1, 1).urgency).toBe(1);
    expect(assessUrgency('bad', 0.9, 0.9).urgency).toBeGreaterThan(assessUrgency('bad', 0.1, 0.9).urgency);
  });
});

describe('intent', () => {
  const base = { complaint: false, sentiment: 'neutral' as const, hasUrl: false };
  it.each([
    ['my router is broken again', { complaint: true }, 'complaint'],
    ['can you please check my order status', {}, 'request'],
    ['what time does the store open?', {}, 'question'],
    ['thanks, love the new app', { sentiment: 'positive' as const }, 'praise'],
    ['it would be great if you added dark mode', {}, 'feedback'],
    ['huge giveaway, click here https://x.y', { hasUrl: true }, 'spam'],
    ['just landed in Lisbon', {}, 'other'],
    ['', {}, 'other'],
  ])('%j → %s', (text, overrides, intent) => {
    expect(inferIntent({ ...base, ...overrides, text })).toBe(intent);
  });
});

describe('language', () => {
  it.each([
    ['my internet is down again and nobody is helping', 'en'],
    ['no tengo internet desde el lunes, gracias por nada', 'es'],
    ["je n'ai pas de connexion depuis trois jours, merci", 'fr'],
    ['ich habe seit Tagen kein Internet und niemand hilft', 'de'],
    ['Почему нет интернета?', 'ru'],
    ['インターネットが使えません', 'ja'],
    ['😡😡', 'und'],
    ['', 'und'],
  ])('%j → %s', (text, lang) => {
    expect(detectLanguage(text, tokens(text))).toBe(lang);
  });
});

describe('topics', () => {
  const compiled = compileTopics(defaultTopics);
  it.each([
    ['I was overcharged on my bill', ['billing']],
    ['no internet since Monday', ['outage']],
    ['zero signal at home, dead zone', ['coverage']],
    ['my parcel never arrived', ['delivery']],
    ['I am locked out of my account', ['account-access']],
    ['the agent was rude and hung up on me', ['staff-conduct']],
    ['lovely weather', []],
  ])('%j → %j', (text, topics) => {
    expect([...tagTopics(tokens(text), compiled).keys()]).toEqual(expect.arrayContaining(topics));
    if (topics.length === 0) expect(tagTopics(tokens(text), compiled).size).toBe(0);
  });
});
