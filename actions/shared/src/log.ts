/**
 * Logging as the modules below main.ts see it. main.ts builds one from @actions/core
 * (info, warning annotations, collapsible groups); tests pass a recorder.
 */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  /** Runs `fn` inside a collapsible log group. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

/** A Log that keeps everything in arrays, for tests. */
export function recordingLog(): Log & { readonly lines: string[]; readonly warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    info: (message) => {
      lines.push(message);
    },
    warning: (message) => {
      warnings.push(message);
    },
    group: async (title, fn) => {
      lines.push(`[group] ${title}`);
      return fn();
    },
  };
}
