/** A fake browser global for running generated <script> code in a Node vm context. Not a test file itself. */
import * as vm from 'vm';

/** The bodies of every <script> element in an HTML snippet, in order. */
export function scriptBodies(html: string): string[] {
  return [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
}

/** Something that answers any property access, call or construction with another such thing (a permissive DOM). */
function anything(): any {
  const handler: ProxyHandler<any> = {
    get: (target, property) => (property in target ? target[property] : property === Symbol.toPrimitive ? undefined : new Proxy(function () {}, handler)),
    apply: () => new Proxy(function () {}, handler),
    construct: () => new Proxy({}, handler),
  };
  return new Proxy(function () {}, handler);
}

export interface FakeBrowser {
  window: Record<string, any>;
  context: vm.Context;
  /** Arguments of every call to the page's AMD `define` (when `amd` was asked for). */
  defineCalls: unknown[][];
  /** Elements document.getElementById finds, by id (add some to simulate an attached output). */
  elements: Map<string, Record<string, any>>;
  /** Callbacks queued with setTimeout; run them with flushTimers(). */
  timers: (() => void)[];
  run(code: string): void;
  flushTimers(rounds?: number): void;
}

/**
 * A vm context whose global is a fake `window` (also `self`): a require.js-like AMD `define` with `define.amd` when
 * `amd` is true, a document whose getElementById reads `elements`, a manual setTimeout, and permissive stand-ins for
 * the DOM constructors plotly's bundle touches while loading.
 */
export function fakeBrowser(options: { amd?: boolean } = {}): FakeBrowser {
  const defineCalls: unknown[][] = [];
  const elements = new Map<string, Record<string, any>>();
  const timers: (() => void)[] = [];
  const document = anything();
  const window: Record<string, any> = {
    console,
    navigator: { userAgent: 'fake' },
    location: { href: 'http://localhost/' },
    setTimeout: (callback: () => void) => { timers.push(callback); return timers.length; },
    clearTimeout: () => undefined,
    setInterval: () => 0,
    clearInterval: () => undefined,
    Promise,
  };
  window.document = new Proxy(document, { get: (target, property) => (property === 'getElementById' ? (id: string) => elements.get(id) ?? null : target[property]) });
  for (const name of ['DOMParser', 'XMLSerializer', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame', 'Image', 'HTMLElement', 'Element',
    'Node', 'SVGElement', 'Event', 'CustomEvent', 'MouseEvent', 'Blob', 'URL', 'WebGLRenderingContext', 'screen', 'matchMedia', 'addEventListener']) {
    window[name] = anything();
  }
  if (options.amd) {
    const define = (...args: unknown[]) => { defineCalls.push(args); };
    (define as unknown as { amd: object }).amd = { jQuery: true };
    window.define = define;
  }
  window.window = window;
  window.self = window;
  const context = vm.createContext(window);
  return {
    window, context, defineCalls, elements, timers,
    run: (code) => { vm.runInContext(code, context); },
    flushTimers: (rounds = 1000) => {
      for (let i = 0; i < rounds && timers.length > 0; i++) timers.shift()!();
    },
  };
}
