import { readJson, type StateStore, saveJson } from '../../shared/src/state.ts';

/** What main hands to post: enough to find the project again and tear it down. */
export interface StackState {
  readonly projectName: string;
  readonly files: readonly string[];
  readonly projectDirectory: string;
  readonly profiles: readonly string[];
  readonly envFile?: string;
  readonly reportsDir: string;
  readonly prometheusUrl?: string;
}

const KEY = 'stack';

export function saveStackState(store: StateStore, state: StackState): void {
  saveJson(store, KEY, state);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

export function readStackState(store: StateStore): StackState | undefined {
  return readJson(store, KEY, (value) => {
    const s = value as Partial<StackState> | null;
    if (
      !s ||
      typeof s.projectName !== 'string' ||
      !isStringArray(s.files) ||
      typeof s.projectDirectory !== 'string' ||
      !isStringArray(s.profiles) ||
      typeof s.reportsDir !== 'string'
    ) {
      throw new Error(
        `State "${KEY}" does not describe a stack: ${JSON.stringify(value).slice(0, 200)}`,
      );
    }
    return s as StackState;
  });
}
