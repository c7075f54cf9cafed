/** The message of anything thrown: a thrown string or object is never lost. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** The last `count` non-empty lines of a text, for error messages built from tool output. */
export function lastLines(text: string, count: number): string[] {
  return nonEmptyLines(text).slice(-count);
}

/** Lines of a text without trailing blanks, empty lines dropped. */
export function nonEmptyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
}
