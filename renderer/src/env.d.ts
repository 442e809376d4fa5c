import type { LoopwrightApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Provided by the Electron preload; absent in browser mode, where a WebSocket client stands in. */
    loopwright?: LoopwrightApi;
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

export {};
