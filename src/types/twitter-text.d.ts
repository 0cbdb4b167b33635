// The parts of twitter-text Parley uses; the package ships no types.
declare module 'twitter-text' {
  export interface ParsedTweet {
    weightedLength: number;
    valid: boolean;
    permillage: number;
    validRangeStart: number;
    validRangeEnd: number;
    displayRangeStart: number;
    displayRangeEnd: number;
  }
  export function parseTweet(text: string): ParsedTweet;
  const twitterText: { parseTweet: typeof parseTweet };
  export default twitterText;
}
