/** Rich display of values in Jupyter: tensors as text, HTML tables and PNG images; the Jupyter.display protocol. */
export type { RichDisplayOptions } from './options';
export { RICH_DISPLAY_DEFAULTS, resolveRichDisplayOptions } from './options';
export { tensorSummaryText } from './tensorText';
export { isTableShaped, tensorTableHtml } from './tensorTable';
export type { TensorPng } from './tensorImage';
export { isImageShaped, tensorImagePng } from './tensorImage';
export type { MimeBundle, JupyterDisplayable } from './mimeBundle';
export { displaySymbol, toMimeBundle, normalizeBundle } from './mimeBundle';
export type { DisplayDataWriter, DisplayTarget } from './display';
export { display, kernelDisplayWriter } from './display';
export { simpleTableHtml, withSelfDisplay } from './selfDisplay';
