/**
 * Typed handles on the kernel wrapper's CommonJS modules (notebooks/kernel/*.js, plain JavaScript so Jupyter can
 * start it with node alone). Not a test file itself.
 */
import * as path from 'path';

export const KERNEL_DIRECTORY = path.resolve(__dirname, '../../notebooks/kernel');

/** require() of a kernel module by file name, typed by the caller. */
export function kernelModule<T>(name: string): T {
  return require(path.join(KERNEL_DIRECTORY, name)) as T;
}

export interface Header {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message {
  identities: Buffer[];
  header: Header;
  parent: Header | Record<string, never>;
  metadata: object;
  content: any;
  buffers: Buffer[];
}

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}
