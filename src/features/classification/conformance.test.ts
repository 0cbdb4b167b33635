import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadComplaints, loadTweetEvalSentiment, resolveSharedDataDir } from './datasets.loader.ts';
import { evaluateComplaints, evaluateSentiment } from './evaluation.runner.ts';
import { loadModels, modelsExist } from './model.store.ts';

// Data-driven floors, a little under what `npm run eval` measured (docs/EVALUATION.md: complaints 82.7 / brand 80.5
// macro-F1, sentiment 69.0 macro-recall), so a regression in features or training fails here.
const dataDir = resolveSharedDataDir();
const haveData = existsSync(path.join(dataDir, 'complaints')) && existsSync(path.join(dataDir, 'tweeteval-sentiment'));

describe.skipIf(!haveData || !modelsExist())('conformance with the shared data', () => {
  const models = loadModels();

  it('complaints: 10-fold CV macro-F1 and AUC above the floor', () => {
    const report = evaluateComplaints(models, loadComplaints(dataDir));
    expect(report.all.size).toBe(3449);
    expect(report.all.macroF1).toBeGreaterThan(0.81);
    expect(report.all.auc).toBeGreaterThan(0.9);
    expect(report.brandOnly.size).toBe(1974);
    expect(report.brandOnly.macroF1).toBeGreaterThan(0.78);
    expect(report.calibration.expectedCalibrationError).toBeLessThan(0.05);
  }, 120_000);

  it('sentiment: TweetEval val macro-recall above the floor', () => {
    const report = evaluateSentiment(models.sentiment, loadTweetEvalSentiment('val', dataDir));
    expect(report.macroRecall).toBeGreaterThan(0.675);
  });
});
