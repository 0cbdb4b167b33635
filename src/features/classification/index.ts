export type { Classifier, ClassifyOptions, Labels, Intent, Sentiment, FeatureContribution } from './labels.ts';
export { intents, sentiments } from './labels.ts';
export { createBaselineClassifier } from './baseline.classifier.ts';
export type { ClassifierOptions, TrainedModels } from './trained.classifier.ts';
export type { TopicDefinition } from './topics.tagger.ts';
export { defaultTopics } from './topics.tagger.ts';
export type { Correction } from './feedback.schema.ts';
export { correctionSchema, formatCorrectionLine, parseFeedbackJsonl } from './feedback.schema.ts';
export { defaultModelDir, loadModels, modelsExist } from './model.store.ts';
import { createBaselineClassifier } from './baseline.classifier.ts';
import type { Classifier } from './labels.ts';
import { defaultModelDir, loadModels, modelsExist } from './model.store.ts';
import type { TopicDefinition } from './topics.tagger.ts';
import { createClassifier as createTrainedClassifier } from './trained.classifier.ts';
import type { TrainedModels } from './trained.classifier.ts';

export interface CreateClassifierOptions {
  /** A workspace's own topics and seed terms, added to the default taxonomy. */
  extraTopics?: TopicDefinition[];
  /** Models already in memory; by default the committed files in models/ are read. */
  models?: TrainedModels;
  modelDir?: string;
}

let cachedModels: TrainedModels | undefined;

function committedModels(dir: string): TrainedModels | undefined {
  if (dir !== defaultModelDir) return modelsExist(dir) ? loadModels(dir) : undefined;
  if (!cachedModels && modelsExist(dir)) cachedModels = loadModels(dir);
  return cachedModels;
}

/**
 * A classifier with the trained models and, optionally, a workspace's extra topics. Model files are read once per
 * process and shared, so creating one classifier per workspace is cheap. Without model files (a checkout that
 * deleted them) it falls back to the lexicon baseline, whose version says so.
 */
export function createClassifier(options: CreateClassifierOptions = {}): Classifier {
  const models = options.models ?? committedModels(options.modelDir ?? defaultModelDir);
  if (!models) return createBaselineClassifier();
  return createTrainedClassifier({ models, extraTopics: options.extraTopics });
}

/** The classifier the pipeline uses. */
export function loadClassifier(): Classifier {
  return createClassifier();
}
