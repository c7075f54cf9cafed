/** The report's closing section: what the profiles show is left, and why it stays. */
export const NOTES: readonly string[] = ['(to be written from the first full run)'];
