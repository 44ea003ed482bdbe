// Metrics against values from the scikit-learn documentation and hand-worked cases.
import { averagePrecision, evaluate, logLoss, reliabilityTable, rocAuc, topFractionLift } from '../../core/models/metrics';

test('ROC AUC and average precision match scikit-learn on its documented example', () => {
  // roc_auc_score / average_precision_score docs: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8].
  expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 10);
  expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333333333, 8);
});

test('log loss matches scikit-learn on its documented example', () => {
  // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) = 0.21616...
  expect(logLoss([0.9, 0.1, 0.2, 0.65], [1, 0, 0, 1])).toBeCloseTo(0.21616187, 7);
});

test('ties count half: a constant score has AUC 0.5 and AP equal to the positive rate', () => {
  const labels = [1, 0, 0, 1, 0, 0, 0, 0];
  expect(rocAuc(new Array(8).fill(0.3), labels)).toBe(0.5);
  expect(averagePrecision(new Array(8).fill(0.3), labels)).toBeCloseTo(0.25, 10);
  // One tie across classes among otherwise perfect ranking.
  expect(rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toBeCloseTo(0.875, 10);
});

test('a perfect and a reversed ranking', () => {
  expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
  expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
  expect(averagePrecision([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
  expect(rocAuc([0.2, 0.1], [1, 1])).toBeNaN();
});

test('top-decile lift is the top 10% positive rate over the overall rate', () => {
  const scores = [0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.01, 0.009, 0.008, 0.007, 0.006, 0.005, 0.004, 0.003, 0.002];
  const labels = [1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  // Top 2 of 20 are both positive: 100% vs 20% overall.
  expect(topFractionLift(scores, labels, 0.1)).toBeCloseTo(5, 10);
  // Ties at the cut count pro rata: a constant score has no lift, whatever the row order.
  expect(topFractionLift(new Array(20).fill(0.5), labels, 0.1)).toBeCloseTo(1, 10);
  expect(topFractionLift(new Array(20).fill(0.5), [...labels].reverse(), 0.1)).toBeCloseTo(1, 10);
});

test('the reliability table bins predictions and reports the observed rate', () => {
  const bins = reliabilityTable([0.05, 0.07, 0.55, 0.58, 0.99, 1], [0, 1, 1, 1, 1, 0], 10);
  expect(bins).toHaveLength(10);
  expect(bins[0]).toMatchObject({ lower: 0, upper: 0.1, count: 2, observedRate: 0.5 });
  expect(bins[0].meanPredicted).toBeCloseTo(0.06, 12);
  expect(bins[5]).toMatchObject({ count: 2, observedRate: 1 });
  expect(bins[5].meanPredicted).toBeCloseTo(0.565, 10);
  expect(bins[9]).toMatchObject({ count: 2, observedRate: 0.5 }); // 1.0 falls in the last bin
  expect(bins[3]).toEqual({ lower: 0.3, upper: 0.4, count: 0, meanPredicted: null, observedRate: null });
});

test('evaluate bundles every metric', () => {
  const m = evaluate([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
  expect(m).toMatchObject({ rows: 4, positives: 2, positiveRate: 0.5, rocAuc: 0.75 });
  expect(m.brier).toBeCloseTo((0.01 + 0.16 + 0.4225 + 0.04) / 4, 10);
  expect(() => evaluate([0.1], [0, 1])).toThrow(/1 scores for 2 labels/);
});
