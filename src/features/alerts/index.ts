/**
 * Alerting for the communications team (docs/ALERTS.md): viral risk of single posts, complaint spikes per topic,
 * rule and channel, and the engage / monitor / ignore recommendation on every inbound message. Alerts never touch
 * cases: the fair queue stays ordered by need.
 */
export { alertPolicySchema, defaultAlertPolicy, spikeDimensions, engagementReasons, engagementActions } from './alert-policy.schema.ts';
export type {
  AlertPolicy, AlertPolicyInput, ViralPolicy, SpikePolicy, EngagementPolicy, SpikeDimension, EngagementReason, EngagementAction,
} from './alert-policy.schema.ts';
export { alertKinds, alertStatuses } from './alert.types.ts';
export type { AlertKind, AlertStatus, AlertView, AlertExample } from './alert.types.ts';
export { logPoissonUpperTail } from './poisson.ts';
export { SpikeDetector, spikeDetectorStateSchema, spikeSlotMs, spikeExampleCount } from './spike.detector.ts';
export type { SpikePost, SeriesRef, SpikeOutput, SpikeStarted, SpikeEnded, SpikeDetectorState } from './spike.detector.ts';
export { ViralRiskDetector, assessViralRisk, scoreOfAudience } from './viral-risk.ts';
export type { ViralAssessment, ViralPost, ViralPostFacts, ViralRaised, EngagementSnapshot, EngagementPoint, EngagementCounts } from './viral-risk.ts';
export { recommendEngagement, decideEngagement, detectSignals } from './engagement.recommender.ts';
export type { EngagementRecommendation, RecommendationInput, RecommendationReason } from './engagement.recommender.ts';
export { assessIngestedPost } from './post-assessment.service.ts';
export { raiseAlert } from './alert.raiser.ts';
export type { NewAlert } from './alert.types.ts';
export type { IngestedPost, PostAssessment } from './post-assessment.service.ts';
export { recordEngagement } from './engagement.service.ts';
export type { EngagementReport, EngagementOutcome, EngagementStatus, EngagementDeps } from './engagement.service.ts';
export { listAlerts, getAlert } from './alert-query.service.ts';
export type { AlertListQuery, AlertPage } from './alert-query.service.ts';
export { acknowledgeAlert } from './alert-ack.service.ts';
export { getAlertPolicy, putAlertPolicy } from './alert-policy.service.ts';
export { runSpikeDetectionOnce, startSpikeDetection, spikeJobIntervalMs } from './spike.job.ts';
export type { SpikeJobDeps, SpikeJobOptions, SpikeRunResult } from './spike.job.ts';
