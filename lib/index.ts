/** The public API of simclr-workbench: re-exports only. */
export * from './rng';
export * from './backend';
export * from './data';
export * from './views';
export * from './losses';
export * from './models';
export * from './train';
export * from './probe';
export * from './display';
export * from './workbook';
