/**
 * Summarises `node --cpu-prof` profiles: the top frames by self time, and the shares of the
 * kinds of work (workflow code in the sandbox, the SDK's workflow runtime, payload conversion,
 * activities, the bench's own driving, garbage collection, idle).
 * Run: node --import tsx bench/profile-summary.ts DIR_OR_FILES… [--top 25]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
const paths = args.filter((arg, i) => arg !== '--top' && args[i - 1] !== '--top');
const files = paths.flatMap((path) => (statSync(path).isDirectory() ? readdirSync(path).filter((name) => name.endsWith('.cpuprofile')).map((name) => join(path, name)) : [path]));

/** The kind of work a frame is, from its file. */
export function kindOf(url: string, name: string): string {
  if (name === '(idle)' || name === '(program)') return name;
  if (name === '(garbage collector)') return '(gc)';
  if (/payload-converter|data-converter|converter\/|protobufjs|proto-utils|@temporalio\/proto/.test(url)) return 'payload conversion & protobuf';
  if (/@temporalio\/workflow|workflow-bundle|webpack|reusable-vm|vm-shared/.test(url) || url === '' && /runInContext/.test(name)) return 'workflow sandbox: SDK runtime';
  if (/\/workflows\/|\/plan\/|\/documents\//.test(url) && !/node_modules/.test(url)) return 'workflow code (plangraf)';
  if (/@temporalio\/worker|@temporalio\/core-bridge/.test(url)) return 'worker (SDK, outside the sandbox)';
  if (/@temporalio\/client|@grpc|grpc-js/.test(url)) return 'client (gRPC)';
  if (/@temporalio\/activity|\/activities\//.test(url)) return 'activities';
  if (/\/bench\//.test(url)) return 'bench driver';
  if (url.startsWith('node:') || url === '') return 'node internals / native';
  return 'other';
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const frames = new Map<string, number>();
  const kinds = new Map<string, number>();
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/wt-perf\//, '')}:${lineNumber + 1}`;
    frames.set(key, (frames.get(key) ?? 0) + micros);
    const kind = kindOf(url, functionName);
    kinds.set(kind, (kinds.get(kind) ?? 0) + micros);
  }
  const busy = total - (kinds.get('(idle)') ?? 0);
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`);
  console.log('  kinds of work, share of busy time:');
  for (const [kind, micros] of [...kinds].sort((a, b) => b[1] - a[1])) if (kind !== '(idle)') console.log(`    ${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${kind}`);
  console.log(`  top ${top} frames by self time, share of busy time:`);
  for (const [key, micros] of [...frames].filter(([key]) => !key.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${key}`);
}
