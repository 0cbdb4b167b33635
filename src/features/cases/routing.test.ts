import { describe, expect, it } from 'vitest';
import { routeCase } from './routing.ts';
import type { RoutableTeam } from './routing.ts';

const team = (id: string, over: Partial<RoutableTeam> = {}): RoutableTeam => ({ id, name: id, topics: [], languages: [], skills: [], tier: 0, ...over });
const teams = [
  team('general'),
  team('billing', { topics: ['billing'] }),
  team('billing-es', { topics: ['billing'], languages: ['es'] }),
  team('care', { skills: ['vulnerable-customers'] }),
  team('specialists', { tier: 1 }),
];

describe('routeCase', () => {
  it.each([
    ['an unknown topic goes to the catch-all team', { topic: 'outage', language: 'en', skills: [], tier: 0 }, 'general'],
    ['a topic goes to its team', { topic: 'billing', language: 'en', skills: [], tier: 0 }, 'billing'],
    ['topic and language beat topic alone', { topic: 'billing', language: 'es', skills: [], tier: 0 }, 'billing-es'],
    ['a required skill goes to a team that has it', { topic: 'outage', language: 'en', skills: ['vulnerable-customers'], tier: 0 }, 'care'],
    ['a skill nobody of that topic has falls back to the topic', { topic: 'billing', language: 'en', skills: ['vulnerable-customers'], tier: 0 }, 'care'],
    ['an escalated case goes to its tier', { topic: 'billing', language: 'en', skills: [], tier: 1 }, 'specialists'],
    ['a tier without a team leaves the case in the shared queue', { topic: 'billing', language: 'en', skills: [], tier: 2 }, null],
  ])('%s', (_name, needs, expected) => {
    expect(routeCase(teams, needs)?.teamId ?? null).toBe(expected);
  });

  it('drops skills rather than leave a case unrouted', () => {
    expect(routeCase([team('billing', { topics: ['billing'] })], { topic: 'billing', language: null, skills: ['legal'], tier: 0 })?.teamId).toBe('billing');
  });

  it('breaks ties by name, so the answer does not depend on the order teams were listed', () => {
    const a = team('b-team', { name: 'B' });
    const b = team('a-team', { name: 'A' });
    expect(routeCase([a, b], { topic: null, language: null, skills: [], tier: 0 })?.teamId).toBe('a-team');
    expect(routeCase([b, a], { topic: null, language: null, skills: [], tier: 0 })?.teamId).toBe('a-team');
  });
});
