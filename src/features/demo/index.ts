export { ensureDemoWorkspace, demoWorkspaceSlug, demoAdminEmail } from './demo.seed.ts';
export type { DemoWorkspace } from './demo.seed.ts';
export { startSimulator } from './demo.simulator.ts';
export type { Simulator } from './demo.simulator.ts';
export { demoScenario, demoChannels } from './scenario.ts';
