/**
 * Forwarding stub: the rich display moved to lib/display (one rendering module). lib/backend, lib/train and
 * lib/probe still import this path; delete this file once their imports read '../display/selfDisplay'.
 */
export { simpleTableHtml, withSelfDisplay } from '../display/selfDisplay';
