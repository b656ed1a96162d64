/** Workbook support: the scale setting every notebook reads, held-out pair metrics, loss landmarks, temperature profiles, retrieval readouts. */
export * from './scale';
export * from './pairMetrics';
export * from './lossLandmarks';
export * from './temperature';
export * from './retrieval';
export * from './trainCached';
