export { main as cliMain, USAGE as CLI_USAGE } from './main';
export * from './args';
export * from './npy';
export * from './dataSource';
export { formatProbeReport, embedFunction } from './probe';
