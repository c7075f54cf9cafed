import * as core from '@actions/core';
import type { Log } from './log.ts';
import type { StateStore } from './state.ts';

/**
 * The @actions/core-backed implementations of the small interfaces the modules use.
 * Only main.ts/post.ts files import this, keeping @actions/core at the top layer.
 */
export function coreLog(): Log {
  return {
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    group: (title, fn) => core.group(title, fn),
  };
}

export function coreState(): StateStore {
  return { save: (name, value) => core.saveState(name, value), get: (name) => core.getState(name) };
}
