// A precompiled single-pass gate for the pattern-based heads (urgency, intent). Each group lists ASCII substrings of
// which at least one must occur for the group's regular expression to be able to match; one Aho–Corasick pass over
// the text reports which groups are live, and only their expressions run. Most messages then run none.
//
// Why this is exact: the gated expressions are case-insensitive without the `u` flag, so they fold only ASCII letters
// onto ASCII letters, exactly what this scanner does; a non-ASCII character can never be part of an ASCII trigger,
// so it resets the automaton.

// Alphabet: a–z, 0–9, space, apostrophe, `$`; every other character is class 0 (breaks a match).
const classOf = new Uint8Array(128);
let nextClass = 1;
for (const ch of "abcdefghijklmnopqrstuvwxyz0123456789 '$") classOf[ch.charCodeAt(0)] = nextClass++;
for (let c = 65; c <= 90; c += 1) classOf[c] = classOf[c + 32];
const alphabet = nextClass;

export type TriggerScan = (text: string) => number;

/** Compiles up to 31 groups of triggers; the scan returns a bitmask with bit g set when a trigger of group g occurs. */
export function compileTriggers(groups: readonly (readonly string[])[]): TriggerScan {
  if (groups.length > 31) throw new Error('at most 31 trigger groups');
  const goto: number[][] = [new Array<number>(alphabet).fill(-1)];
  const output: number[] = [0];
  groups.forEach((triggers, g) => {
    for (const trigger of triggers) {
      let state = 0;
      for (const ch of trigger.toLowerCase()) {
        const code = ch.charCodeAt(0);
        const cls = code < 128 ? classOf[code] : 0;
        if (cls === 0) throw new Error(`trigger ${JSON.stringify(trigger)}: only a-z, 0-9, space, ' and $`);
        if (goto[state][cls] === -1) {
          goto[state][cls] = goto.length;
          goto.push(new Array<number>(alphabet).fill(-1));
          output.push(0);
        }
        state = goto[state][cls];
      }
      output[state] |= 1 << g;
    }
  });
  // Breadth-first failure links, folded into a full transition table (a DFA).
  const table = new Uint16Array(goto.length * alphabet);
  const fail = new Array<number>(goto.length).fill(0);
  const queue: number[] = [];
  for (let cls = 1; cls < alphabet; cls += 1) {
    const next = goto[0][cls];
    if (next > 0) { queue.push(next); table[cls] = next; }
  }
  for (let head = 0; head < queue.length; head += 1) {
    const state = queue[head];
    output[state] |= output[fail[state]];
    for (let cls = 1; cls < alphabet; cls += 1) {
      const next = goto[state][cls];
      if (next > 0) {
        fail[next] = table[fail[state] * alphabet + cls];
        table[state * alphabet + cls] = next;
        queue.push(next);
      } else {
        table[state * alphabet + cls] = table[fail[state] * alphabet + cls];
      }
    }
  }
  const outputs = Int32Array.from(output);
  return (text: string) => {
    let state = 0;
    let mask = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      const cls = code < 128 ? classOf[code] : 0;
      state = cls === 0 ? 0 : table[state * alphabet + cls];
      mask |= outputs[state];
    }
    return mask;
  };
}
