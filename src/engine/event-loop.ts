/**
 * Lets queued tasks run (a cancel message, a heartbeat ping, a progress post) before long
 * synchronous work goes on: a macrotask turn, so pending messages are handled, not only microtasks.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}
