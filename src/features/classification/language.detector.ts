// Language is weakly supervised: the script decides non-Latin languages; for Latin script, counts of each language's
// most frequent function words decide. Too little evidence gives `und` (undetermined) rather than a guess.
const scriptRanges: [RegExp, string][] = [
  [/[\u3040-\u30ff]/u, 'ja'],
  [/[\uac00-\ud7af]/u, 'ko'],
  [/[\u4e00-\u9fff]/u, 'zh'],
  [/[\u0600-\u06ff]/u, 'ar'],
  [/[\u0590-\u05ff]/u, 'he'],
  [/[\u0e00-\u0e7f]/u, 'th'],
  [/[\u0900-\u097f]/u, 'hi'],
  [/[\u0370-\u03ff]/u, 'el'],
  [/[\u0400-\u04ff]/u, 'ru'],
];

const stopwords: Record<string, string[]> = {
  en: ['the', 'and', 'is', 'to', 'of', 'my', 'you', 'it', 'for', 'this', 'that', 'in', 'i', 'me', 'your', 'with', 'have', 'not', 'was', 'are', 'on', 'be', 'why', 'what', 'no', 'just', 'get', 'can', "i'm", 'do', 'at', 'but', 'so', 'been', 'still', 'we', 'they', 'from', 'has', 'will', 'how', 'thanks', 'please'],
  es: ['el', 'la', 'los', 'las', 'que', 'de', 'y', 'en', 'es', 'por', 'para', 'con', 'mi', 'una', 'pero', 'muy', 'gracias', 'hola', 'no', 'lo', 'se', 'del', 'está', 'esta', 'al', 'como', 'más', 'ya', 'hace'],
  fr: ['le', 'la', 'les', 'et', 'est', 'des', 'une', 'pour', 'pas', 'je', 'mon', 'ma', 'vous', 'avec', 'sur', 'dans', 'merci', 'bonjour', 'mais', 'très', 'du', 'au', 'ce', 'qui', "c'est", 'ne', 'suis', 'depuis'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ich', 'mein', 'meine', 'mit', 'für', 'ein', 'eine', 'auf', 'danke', 'aber', 'sehr', 'noch', 'wie', 'bei', 'seit', 'habe', 'sie', 'es', 'den', 'dem', 'zu', 'kein'],
  pt: ['o', 'os', 'as', 'que', 'de', 'e', 'em', 'não', 'para', 'com', 'meu', 'minha', 'uma', 'um', 'mas', 'muito', 'obrigado', 'obrigada', 'você', 'é', 'do', 'da', 'no', 'na', 'já', 'está'],
  it: ['il', 'lo', 'la', 'che', 'di', 'e', 'non', 'per', 'con', 'mio', 'mia', 'una', 'sono', 'ma', 'molto', 'grazie', 'ciao', 'del', 'della', 'è', 'ho', 'nel', 'anche', 'più'],
  nl: ['de', 'het', 'een', 'en', 'is', 'niet', 'ik', 'mijn', 'met', 'voor', 'op', 'dank', 'maar', 'heel', 'nog', 'van', 'dat', 'je', 'geen', 'wel', 'al', 'bij'],
};

const languages = Object.keys(stopwords);
const stopwordIndex = new Map<string, number[]>();
languages.forEach((lang, id) => {
  for (const word of stopwords[lang]) stopwordIndex.set(word, [...(stopwordIndex.get(word) ?? []), id]);
});
// Reused by every call (classification is synchronous): no map per message.
const scores = new Float64Array(languages.length);

/** ISO 639-1 code of the text's language, or `und`. `tokens` are the classifier's lower-cased tokens. */
export function detectLanguage(text: string, tokens: readonly string[]): string {
  let nonLatin = false;
  for (let i = 0; i < text.length; i += 1) {
    if (text.charCodeAt(i) >= 0x0370) { nonLatin = true; break; }
  }
  // Every script range starts at U+0370 or above: Latin-only text (nearly all of it) skips the nine scans.
  if (nonLatin) for (const [pattern, lang] of scriptRanges) if (pattern.test(text)) return lang;
  scores.fill(0);
  for (let t = 0; t < tokens.length; t += 1) {
    const langs = stopwordIndex.get(tokens[t]);
    if (!langs) continue;
    // A word shared by several languages ("de", "la", "no") is weaker evidence for each.
    for (const id of langs) scores[id] += 1 / langs.length;
  }
  // A tie for first place is 'und' whatever the order, so the order of this scan does not matter.
  let best = 'und';
  let bestScore = 0;
  let second = 0;
  for (let id = 0; id < languages.length; id += 1) {
    const score = scores[id];
    if (score > bestScore) { second = bestScore; bestScore = score; best = languages[id]; }
    else if (score > second) second = score;
  }
  if (bestScore < 1 || bestScore === second) return 'und';
  return best;
}
