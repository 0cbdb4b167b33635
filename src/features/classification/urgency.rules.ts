import { compileTriggers } from './trigger.matcher.ts';

// Urgency is weakly supervised: hand-written patterns for the signals care teams escalate on. Each signal adds its
// weight; the total is capped at 1. Signal names are read by case priority (cases/priority.ts): keep them stable.
// `triggers`: ASCII substrings of which every match of `pattern` contains at least one (see trigger.matcher.ts);
// keep them in step when a pattern changes (weak-supervision.rules.test.ts checks them against the patterns).
export const urgencyRules: { signal: string; weight: number; pattern: RegExp; triggers: string[] }[] = [
  { signal: 'long outage', triggers: ['day', 'week', 'month'], weight: 0.35, pattern: /\b(no|without|lost)\s+(service|signal|internet|wifi|power|phone|connection|heat|heating|water)\b.{0,40}\b(\d+|a|one|two|three|four|five|several)\s+(days?|weeks?|months?)\b|\b(days?|weeks?|months?)\s+(without|with no)\s+(service|internet|wifi|power|signal|phone)\b|\bfor (a|one|two|three|\d+|several) (days|weeks?|months?)\b.{0,30}\b(no|without|down|outage)\b|\b(down|out|offline|not working|outage)\b.{0,20}\bfor (a|one|two|three|four|five|\d+|several|over a) (days?|weeks?|months?)\b/i },
  { signal: 'safety', triggers: ['emergency', '911', '999', '112', 'hospital', 'medical', 'oxygen', 'life support', 'safety', 'unsafe', 'danger', 'fire', 'smoke', 'gas leak', 'injur', 'assault', 'elderly', 'disabled', 'vulnerable', 'newborn', 'carbon monoxide'], weight: 0.5, pattern: /\b(emergency|911|999|112|hospital|medical|oxygen|life support|safety|unsafe|danger(ous)?|fire|smoke|gas leak|injur(ed|y)|assault(ed)?|elderly|disabled|vulnerable|newborn|carbon monoxide)\b/i },
  { signal: 'repeated contact', triggers: ['time', 'call', 'email', 'message', 'attempt', 'again', 'twice', 'already', 'still', 'back'], weight: 0.2, pattern: /\b(third|fourth|fifth|\d+(st|nd|rd|th)) time\b|\b(\d+|several|many|multiple|countless) (times|calls|emails|messages|attempts)\b|\b(called|emailed|messaged|contacted|tweeted|dm'?d)\b.{0,20}\b(again|twice|already|still)\b|\bstill (no|not|waiting|haven't|hasn't)\b|\bno (one|body) (has )?(got|gotten|come|replied|responded) back\b/i },
  { signal: 'churn threat', triggers: ['cancel', 'switch', 'leav', 'my business', 'my account', 'my contract', 'never'], weight: 0.2, pattern: /\b(cancel(l?ing)?|switch(ing)? to|leav(e|ing) (you|for)|tak(e|ing) my business|clos(e|ing) my account|end(ing)? my contract|never (again|using|flying|buying|shopping))\b/i },
  { signal: 'going public', triggers: ['lawyer', 'attorney', 'sue', 'suing', 'legal action', 'small claims', 'ombudsman', 'regulator', 'fcc', 'ofcom', 'bbb', 'trading standards', 'press', 'journalist', 'news', 'watchdog', 'going public', 'viral', 'chargeback'], weight: 0.3, pattern: /\b(lawyer|attorney|sue|suing|legal action|small claims|ombudsman|regulator|fcc|ofcom|bbb|trading standards|press|journalist|news|watchdog|going public|viral|chargeback)\b/i },
  { signal: 'money at stake', triggers: ['overdraft', 'overdrawn', 'double charged', 'charged twice', 'fraud', 'stolen', 't pay', 'rent', 'mortgage'], weight: 0.15, pattern: /\b(overdraft|overdrawn|double charged|charged twice|fraud(ulent)?|stolen|can'?t pay|rent|mortgage)\b/i },
];

const scanTriggers = compileTriggers(urgencyRules.map((rule) => rule.triggers));

export interface UrgencyAssessment {
  urgency: number;
  signals: string[];
}

/** Urgency from explicit signals, plus a small lift for a strongly negative complaint. */
export function assessUrgency(text: string, complaintScore: number, negativeProbability: number): UrgencyAssessment {
  const signals: string[] = [];
  let urgency = 0;
  const live = scanTriggers(text);
  if (live === 0 && complaintScore < 0.5) return { urgency: 0, signals: [] };
  for (let r = 0; r < urgencyRules.length; r += 1) {
    const rule = urgencyRules[r];
    if ((live & (1 << r)) !== 0 && rule.pattern.test(text)) {
      signals.push(rule.signal);
      urgency += rule.weight;
    }
  }
  if (complaintScore >= 0.5) urgency += 0.1 * complaintScore + 0.1 * negativeProbability;
  return { urgency: Math.min(1, Math.round(urgency * 100) / 100), signals };
}
