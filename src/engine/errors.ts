/** What to show for a caught value: an Error's message (its name when the message is empty), anything else as a string. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
