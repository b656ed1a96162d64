/** Encoders, projection heads and the SimCLR model (re-exports only). */
export * from './blocks';
export * from './batchNorm';
export * from './init';
export * from './seedEncoder';
export * from './smallCnn';
export * from './resnet';
export * from './heads';
export * from './simclrModel';
export * from './registry';
export * from './presets';
