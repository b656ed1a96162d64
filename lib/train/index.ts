export * from './config';
export * from './modelConfig';
export * from './schedule';
export * from './optimizers';
export * from './callbacks';
export * from './checkpoint';
export * from './trainerCheckpoint';
export * from './trainer';
