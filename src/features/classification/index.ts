export type { Classifier, Labels, Intent, Sentiment, FeatureContribution } from './labels.ts';
export { intents, sentiments } from './labels.ts';
export { createBaselineClassifier } from './baseline.classifier.ts';
import { createBaselineClassifier } from './baseline.classifier.ts';
import type { Classifier } from './labels.ts';

/** The classifier the pipeline uses. */
export function loadClassifier(): Classifier {
  return createBaselineClassifier();
}
