/** Contrastive losses and metrics: symmetric InfoNCE, NT-Xent, alignment/uniformity, contrastive accuracy. */
export * from './validate';
export * from './similarity';
export * from './infoNCE';
export * from './ntXent';
export * from './alignUniform';
export * from './accuracy';
