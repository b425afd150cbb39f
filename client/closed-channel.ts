/**
 * After a process has closed its Temporal connections, the client's retry timers may still fire:
 * a call nobody waits for any more (an activity abandoned by a stopping worker, say) tries again
 * and grpc-js throws «Channel has been shut down» from the timer. That is the tail of a shutdown,
 * not a failure of the job, and it must not turn a clean stop into exit code 1.
 */
const CLOSED_CHANNEL = 'Channel has been shut down';

let installed = false;

/** From now on, an uncaught closed-channel error is ignored; any other uncaught error ends the process as Node would. */
export function tolerateClosedChannelsFromNowOn(): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (error) => {
    if (isClosedChannelError(error)) return;
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

export function isClosedChannelError(error: unknown): boolean {
  return error instanceof Error && error.message === CLOSED_CHANNEL;
}
