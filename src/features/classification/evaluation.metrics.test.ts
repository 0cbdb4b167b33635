import { describe, expect, it } from 'vitest';
import { brierScore, expectedCalibrationError, rocAuc, scoreClassification, stratifiedFolds } from './evaluation.metrics.ts';
import { fitPlattScaling } from './training.pipeline.ts';
import { createRandom } from './random.ts';
import { sigmoid } from './linear.model.ts';

describe('scoreClassification', () => {
  it('computes accuracy, per-class and macro scores', () => {
    const report = scoreClassification([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0], ['a', 'b', 'c']);
    expect(report.accuracy).toBeCloseTo(4 / 6);
    expect(report.perClass.a).toMatchObject({ precision: 0.5, recall: 0.5 });
    expect(report.perClass.b.precision).toBeCloseTo(2 / 3);
    expect(report.perClass.b.recall).toBe(1);
    expect(report.macroRecall).toBeCloseTo((0.5 + 1 + 0.5) / 3);
    expect(report.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3);
  });
});

describe('rocAuc', () => {
  it.each([
    [[0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 1],
    [[0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1], 0],
    [[0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5], 0.5],
    [[0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.75],
  ])('%j %j → %d', (gold, scores, auc) => {
    expect(rocAuc(gold, scores)).toBeCloseTo(auc);
  });
});

describe('stratifiedFolds', () => {
  it('keeps the class balance in every fold and repeats for a seed', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 : 0));
    const folds = stratifiedFolds(labels, 10, 42);
    for (let f = 0; f < 10; f += 1) {
      const rows = labels.map((_, i) => i).filter((i) => folds[i] === f);
      expect(rows.length).toBe(10);
      expect(rows.filter((i) => labels[i] === 1).length).toBe(3);
    }
    expect(Array.from(stratifiedFolds(labels, 10, 42))).toEqual(Array.from(folds));
  });
});

describe('calibration', () => {
  // Outcomes drawn from a known curve p = sigmoid(2m − 1): Platt scaling must recover it and be well calibrated.
  const random = createRandom(9);
  const margins = Array.from({ length: 20_000 }, () => random() * 6 - 3);
  const labels = margins.map((m) => (random() < sigmoid(2 * m - 1) ? 1 : 0));

  it('recovers the generating curve', () => {
    const { a, b } = fitPlattScaling(margins, labels);
    expect(a).toBeCloseTo(2, 0);
    expect(b).toBeCloseTo(-1, 0);
    const calibrated = margins.map((m) => sigmoid(a * m + b));
    expect(expectedCalibrationError(labels, calibrated)).toBeLessThan(0.02);
    const overconfident = margins.map((m) => sigmoid(6 * m));
    expect(brierScore(labels, calibrated)).toBeLessThan(brierScore(labels, overconfident));
  });
});
