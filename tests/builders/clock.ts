/**
 * A clock that reads `start` now and then runs at real speed: code under test that both dates things
 * (fetchedAt, revalidation) and waits (politeness gates) sees a consistent time.
 */
export function aClockAt(start: string): () => Date {
  const offset = Date.parse(start) - Date.now();
  return () => new Date(Date.now() + offset);
}
