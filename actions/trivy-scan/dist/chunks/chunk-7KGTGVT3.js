import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);

// shared/src/errors.ts
function errorMessage(error) {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
function lastLines(text, count) {
  return nonEmptyLines(text).slice(-count);
}
function nonEmptyLines(text) {
  return text.split(/\r?\n/).map((line) => line.trimEnd()).filter((line) => line !== "");
}

export {
  errorMessage,
  lastLines
};
