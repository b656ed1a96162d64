/** Augmentation views for contrastive learning: batched, seeded, tensor-op implementations. */
export * from './batch';
export * from './perImage';
export * from './crop';
export * from './flip';
export * from './grayscale';
export * from './color';
export * from './hue';
export * from './jitter';
export * from './blur';
export * from './normalize';
export * from './pipeline';
export * from './presets';
