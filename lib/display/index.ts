/**
 * Everything the workbook shows, in one module: plotly figure specs and PCA to 2-D; MIME bundles (charts as
 * application/vnd.plotly.v1+json with an HTML fallback carrying a compressed plotly.js once per notebook, tensors as
 * text, tables and PNG images, the Jupyter.display protocol); image grids; tables; show(), display(), live charts.
 */
export type { PlotlyTrace, PlotlyFigure, ChartOptions, MatrixInput } from './figureBase';
export { DEFAULT_COLORS, plotNumber, plotNumbers } from './figureBase';
export type { LineSeries, LineChartOptions, BarSeries, BarChartOptions, ScatterByLabelOptions } from './figures';
export { LINE_CHART_DEFAULTS, BAR_CHART_DEFAULTS, SCATTER_BY_LABEL_DEFAULTS, exponentialMovingAverage, lineChart, multiLineChart, barChart, scatterByLabel } from './figures';
export type { Colorscale, HeatmapOptions, ConfusionMatrixOptions } from './heatmaps';
export { DIVERGING_COLORSCALE, SEQUENTIAL_BLUES, ANNOTATE_AUTO_MAX_CELLS, HEATMAP_DEFAULTS, heatmap, similarityHeatmap, confusionMatrixChart } from './heatmaps';
export type { Pca2dOptions, Pca2d } from './pca';
export { PCA_2D_DEFAULTS, pca2d } from './pca';
export type { PackedPlotly } from './plotlyLoader';
export { PLOTLY_BUNDLES, plotlySource, packedPlotly, plotlyLoaderScript, plotlyLoaderHtml, plotlyLoaderEmitted, resetPlotlyLoader } from './plotlyLoader';
export type { FigureHtmlOptions } from './html';
export { DEFAULT_FIGURE_HEIGHT, FIGURE_WAIT_MS, scriptSafeJson, figureHtml, standaloneHtml } from './html';
export type { TableRows, TableOptions } from './table';
export { TABLE_DEFAULTS, formatCell, tableCells, tableHtml, tableText } from './table';
export type { ImagePixels, ImageGridOptions, RgbImage } from './images';
export { IMAGE_GRID_DEFAULTS, composeImageGrid, imageGridPng, tensorToPng, tensorGridPng } from './images';
export type { GridLayout } from './imageLabels';
export { truncateLabel } from './imageLabels';
export type { MimeBundle, JupyterDisplayable } from './mime';
export { PLOTLY_MIME, displaySymbol, normalizeBundle } from './mime';
export type { DisplayContent, DisplayDataWriter } from './kernel';
export { kernelDisplayWriter } from './kernel';
export type { RichDisplayOptions } from './tensorOptions';
export { RICH_DISPLAY_DEFAULTS, resolveRichDisplayOptions } from './tensorOptions';
export { tensorSummaryText } from './tensorText';
export { isTableShaped, tensorTableHtml } from './tensorTable';
export type { TensorPng } from './tensorImage';
export { isImageShaped, tensorImagePng } from './tensorImage';
export { toMimeBundle } from './toMimeBundle';
export { simpleTableHtml, withSelfDisplay } from './selfDisplay';
export type { Showable, DisplayTarget, ShowOptions } from './show';
export { describeShowable, figureBundle, showableBundle, show, showTable, display } from './show';
export type { LiveFigureOptions, LiveFigure } from './live';
export { LIVE_FIGURE_MIN_INTERVAL_MS, showLive } from './live';
export type { LiveLossCurvesOptions, LiveLossCurves } from './liveLoss';
export { liveLossCurves } from './liveLoss';
