// Hand-written lexicons for the dense features. The n-gram weights learn most of the vocabulary from data; these
// lists carry prior knowledge into the small complaints set (3,449 tweets) and generalise to words the training
// data never saw. Scores run from -3 (very negative) to +3 (very positive).

function scoreTable(groups: [number, string][]): Map<string, number> {
  const table = new Map<string, number>();
  for (const [score, words] of groups) {
    for (const word of words.split(/\s+/)) if (word) table.set(word, score);
  }
  return table;
}

export const polarityLexicon = scoreTable([
  [3, 'amazing awesome excellent fantastic brilliant outstanding superb wonderful perfect love loved loving lovely incredible phenomenal best'],
  [2, 'great good happy glad pleased delighted thank thanks thankyou thx grateful appreciate appreciated helpful excited exciting enjoy enjoyed fun beautiful nice cool impressive recommend congrats congratulations win won winning favorite favourite yay woohoo haha hahaha lol proud smooth fast quick easy'],
  [1, 'ok okay fine like liked better solved resolved fixed works working sorted hope hopefully interesting wow cute sweet kind friendly support supportive'],
  [-1, 'slow late delay delayed waiting wait problem problems issue issues error errors confused confusing unclear expensive bad difficult hard miss missing lost wrong bug buggy glitch crash crashed crashing sorry sad tired annoying'],
  [-2, 'annoyed disappointed disappointing disappointment frustrated frustrating broken fail failed failing failure poor rude unhelpful useless angry upset complain complaint refund overcharged charged cancel cancelled canceled ignored ignoring unacceptable ridiculous stupid hate hated hates sucks suck sucked dead outage down nightmare mess messed waste wasted stuck'],
  [-3, 'worst terrible horrible awful disgusting pathetic furious appalling disgrace disgraceful scam scammed fraud incompetent shameful garbage trash rubbish joke fuming livid'],
]);

export const negators = new Set([
  'not', 'no', 'never', 'nobody', 'nothing', 'none', 'neither', 'nor', 'without', 'cannot', 'cant', "can't", 'dont', "don't",
  'doesnt', "doesn't", 'didnt', "didn't", 'isnt', "isn't", 'wasnt', "wasn't", 'wont', "won't", 'wouldnt', "wouldn't",
  'aint', "ain't", 'havent', "haven't", 'hasnt', "hasn't", 'shouldnt', "shouldn't", 'couldnt', "couldn't", 'arent', "aren't",
]);

export const intensifiers = new Set([
  'very', 'so', 'really', 'extremely', 'totally', 'completely', 'absolutely', 'utterly', 'super', 'too', 'incredibly',
  'seriously', 'literally', 'beyond', 'most', 'fucking', 'bloody', 'damn', 'insanely', 'highly',
]);

// Emoji and emoticons with a clear polarity. Ambiguous ones (😂, 😭 are used for both) are left to the n-grams.
export const positiveEmoji = new Set([
  '😀', '😃', '😄', '😁', '😊', '🙂', '😍', '🥰', '😘', '❤', '❤️', '💕', '💖', '💙', '💚', '💜', '👍', '👏', '🙌', '🎉', '✨',
  '😎', '🤗', '💯', '🔥', '🥳', '☺', '☺️', '😉', '💪', ':)', ':-)', ':d', ':-d', ';)', ';-)', '=)', ':p', ':-p', '<3', 'xd',
]);
export const negativeEmoji = new Set([
  '😠', '😡', '🤬', '😤', '😞', '😟', '😢', '😔', '😒', '🙄', '😩', '😫', '👎', '💔', '😣', '😖', '🤦', '🤦‍♀️', '🤦‍♂️',
  '😑', '😐', '😕', '🙁', '☹', '☹️', ':(', ':-(', ":'(", ':/', ':-/', ':|', '>:(', 'd:',
]);
