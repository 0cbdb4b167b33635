export const intents = ['complaint', 'question', 'request', 'praise', 'feedback', 'spam', 'other'] as const;
export type Intent = (typeof intents)[number];

export const sentiments = ['negative', 'neutral', 'positive'] as const;
export type Sentiment = (typeof sentiments)[number];

/** One feature behind a decision, for agents: the feature's name and how much it pushed the score. */
export interface FeatureContribution {
  feature: string;
  weight: number;
}

/** What Parley knows about one message's text. Stored on the message with the model version that produced it. */
export interface Labels {
  complaint: boolean;
  complaintScore: number;
  sentiment: Sentiment;
  sentimentScores: Record<Sentiment, number>;
  intent: Intent;
  topics: string[];
  /** 0 (can wait) to 1 (act now). */
  urgency: number;
  urgencySignals: string[];
  lang: string;
  modelVersion: string;
  /**
   * Why: the features that pushed each trained head towards its decision (largest first), and for the
   * weakly supervised heads the seed terms or rules that fired.
   */
  explanation: {
    complaint: FeatureContribution[];
    sentiment: FeatureContribution[];
    topics?: Record<string, string[]>;
    urgency?: string[];
  };
}

export interface ClassifyOptions {
  /** Name the top features behind each decision (default true). Bulk jobs that never show them can skip the work. */
  explain?: boolean;
}

export interface Classifier {
  readonly version: string;
  classify(text: string, options?: ClassifyOptions): Labels;
}
