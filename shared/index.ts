// shared/: the contract between engine, shell and renderer. Imports nothing of Node, Electron or the DOM.
export * from './contract/common.ts';
export * from './contract/interfaces.ts';
export * from './contract/connections.ts';
export * from './contract/health.ts';
export * from './contract/flows.ts';
export * from './contract/intel.ts';
export * from './contract/snapshot.ts';
export * from './contract/usage.ts';
export * from './config.ts';
export * from './messages.ts';
export * from './format.ts';
export * from './explain.ts';
export * from './settings.ts';
export * from './alert-marks.ts';
export * from './query.ts';
export * from './bridge.ts';
export * from './totals.ts';
