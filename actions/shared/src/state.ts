/**
 * main → post state. The runner turns what main saves (GITHUB_STATE) into STATE_* variables
 * for post; main.ts passes core.saveState/core.getState in, so this module stays pure.
 */
export interface StateStore {
  save(name: string, value: string): void;
  /** '' when unset, as core.getState returns. */
  get(name: string): string;
}

/** Saves a value as JSON under `name`. */
export function saveJson(store: StateStore, name: string, value: unknown): void {
  store.save(name, JSON.stringify(value));
}

/**
 * Reads JSON saved by saveJson, or undefined when main never saved it (main failed early).
 * `validate` turns the unknown value into the typed one and throws when it is malformed.
 */
export function readJson<T>(
  store: StateStore,
  name: string,
  validate: (value: unknown) => T,
): T | undefined {
  const text = store.get(name);
  if (text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`State "${name}" is not valid JSON: ${text.slice(0, 100)}`);
  }
  return validate(value);
}
