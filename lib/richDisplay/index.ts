/** Rich display of values in Jupyter: tensors as text, HTML tables and PNG images; the Jupyter.display protocol. */
export * from './options';
export * from './tensorText';
export * from './tensorTable';
export * from './tensorImage';
export * from './mimeBundle';
export * from './display';
