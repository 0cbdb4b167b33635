// Topics are weakly supervised: no labelled topic data exists for Parley's domains, so each topic is a list of
// seed terms (single words or phrases) matched on normalised tokens. A workspace adds its own topics the same way.

/** A topic and the terms that signal it. A term ending in `*` matches any word starting with it ("refund*"). */
export interface TopicDefinition {
  id: string;
  seeds: string[];
}

export const defaultTopics: TopicDefinition[] = [
  { id: 'billing', seeds: ['bill', 'billing', 'billed', 'charge*', 'overcharg*', 'invoice*', 'refund*', 'payment*', 'fee', 'fees', 'price*', 'direct debit', 'double charged', 'money back', 'credit card'] },
  { id: 'outage', seeds: ['outage*', 'down', 'offline', 'no service', 'no internet', 'no wifi', 'no power', 'not working', "isn't working", "doesn't work", 'dropped', 'disconnect*', 'connection', 'connectivity', 'wifi', 'broadband', 'internet', 'slow speed*', 'speeds', 'power cut', 'no connection', 'buffering', 'lag', 'lagging'] },
  { id: 'coverage', seeds: ['coverage', 'signal', 'reception', 'dead zone', 'no bars', '4g', '5g', 'lte', 'mast', 'roaming'] },
  { id: 'delivery', seeds: ['deliver*', 'shipping', 'shipped', 'shipment', 'package', 'parcel*', 'courier', 'tracking', 'order', 'orders', 'arrive*', 'dispatch*', 'lost luggage', 'luggage', 'baggage', 'bag', 'bags'] },
  { id: 'product-defect', seeds: ['broken', 'broke', 'defect*', 'faulty', 'cracked', 'stopped working', 'damaged', 'malfunction*', 'crash*', 'bug', 'bugs', 'glitch*', 'freez*', 'battery', 'screen', 'error', 'errors'] },
  { id: 'account-access', seeds: ['password', 'login', 'log in', 'logged out', 'locked out', 'sign in', 'signin', 'account locked', 'hacked', 'verification', 'verify', '2fa', 'reset'] },
  { id: 'cancellation', seeds: ['cancel*', 'switching to', 'switch to', 'leaving', 'terminate', 'close my account', 'end my contract', 'unsubscribe', 'moving to', 'going elsewhere', 'take my business'] },
  { id: 'policy', seeds: ['policy', 'policies', 'terms', 'contract', 'fine print', 'rules', 'allowed', 'not allowed', 'allowance', 'guarantee', 'warranty', 'compensation', 'eligible'] },
  { id: 'staff-conduct', seeds: ['rude', 'staff', 'agent', 'representative', 'rep', 'employee*', 'manager', 'hung up', 'attitude', 'unprofessional', 'customer service', 'cashier', 'driver', 'crew', 'flight attendant*', 'told me'] },
  { id: 'praise', seeds: ['thank you', 'thanks', 'love', 'great service', 'amazing', 'awesome', 'excellent', 'brilliant', 'well done', 'shout out', 'kudos', 'best'] },
];

interface PrefixSeed { prefix: string; topic: string; seed: string }

interface CompiledTopics {
  exact: Map<string, { topic: string; rest: string[]; seed: string }[]>;
  /** Prefix seeds by their first two characters, so a token is compared with a handful of prefixes, not all. */
  prefixesByStart: Map<number, PrefixSeed[]>;
  /** Prefix seeds shorter than two characters ("a*"): compared with every token. */
  shortPrefixes: PrefixSeed[];
}

function splitSeed(seed: string): string[] {
  return seed.toLowerCase().replace(/’/g, "'").split(/\s+/).filter(Boolean);
}

// The first two UTF-16 units as one number: no substring per token.
function startKey(word: string): number {
  return word.charCodeAt(0) * 65536 + word.charCodeAt(1);
}

export function compileTopics(topics: readonly TopicDefinition[]): CompiledTopics {
  const exact: CompiledTopics['exact'] = new Map();
  const prefixesByStart: CompiledTopics['prefixesByStart'] = new Map();
  const shortPrefixes: PrefixSeed[] = [];
  for (const topic of topics) {
    for (const seed of topic.seeds) {
      const words = splitSeed(seed);
      if (words.length === 0) continue;
      if (words.length === 1 && words[0].endsWith('*')) {
        const prefix = words[0].slice(0, -1);
        const entry = { prefix, topic: topic.id, seed };
        if (prefix.length < 2) shortPrefixes.push(entry);
        else {
          const bucket = prefixesByStart.get(startKey(prefix)) ?? [];
          bucket.push(entry);
          prefixesByStart.set(startKey(prefix), bucket);
        }
        continue;
      }
      const entries = exact.get(words[0]) ?? [];
      entries.push({ topic: topic.id, rest: words.slice(1), seed });
      exact.set(words[0], entries);
    }
  }
  return { exact, prefixesByStart, shortPrefixes };
}

/** Topics in the order of the taxonomy, each with the seed terms that matched (the explanation). */
export function tagTopics(tokens: readonly string[], compiled: CompiledTopics): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (topic: string, seed: string) => {
    const seeds = found.get(topic);
    if (!seeds) found.set(topic, [seed]);
    else if (!seeds.includes(seed)) seeds.push(seed);
  };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    const entries = compiled.exact.get(token);
    if (entries) {
      for (const entry of entries) {
        let ok = true;
        for (let j = 0; j < entry.rest.length && ok; j += 1) ok = tokens[i + 1 + j] === entry.rest[j];
        if (ok) add(entry.topic, entry.seed);
      }
    }
    if (token.length >= 2) {
      const candidates = compiled.prefixesByStart.get(startKey(token));
      if (candidates) for (const { prefix, topic, seed } of candidates) if (token.startsWith(prefix)) add(topic, seed);
    }
    for (const { prefix, topic, seed } of compiled.shortPrefixes) if (token.startsWith(prefix)) add(topic, seed);
  }
  return found;
}
