/**
 * The Temporal runtime for a command whose standard output is read by people and programs:
 * only errors are logged, and on stderr (the native core would otherwise print warnings on stdout).
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

let installed = false;

export function installQuietRuntime(level: 'ERROR' | 'WARN' = 'ERROR'): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => process.stderr.write(`temporal: ${entry.message}\n`)),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: level, other: level }), forward: {} } },
  });
}
