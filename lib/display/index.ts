/** Notebook display helpers: plotly figure specs, PCA to 2-D, chart HTML with an inlined plotly, image grids, tables, show(). */
export type { PlotlyTrace, PlotlyFigure, ChartOptions, MatrixInput } from './figureBase';
export { DEFAULT_COLORS, plotNumber, plotNumbers } from './figureBase';
export * from './figures';
export * from './heatmaps';
export * from './pca';
export * from './plotlyLoader';
export * from './html';
export * from './table';
export * from './images';
export type { GridLayout } from './imageLabels';
export { truncateLabel } from './imageLabels';
export * from './show';
