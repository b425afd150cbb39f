/**
 * Event histories to and from ProtoJSON, the form `historyToJSON` and
 * `temporal workflow show --output json` write.
 *
 * Why not the SDK's own `historyToJSON`/`historyFromJSON` (@temporalio/common/lib/proto-utils):
 * this install holds three copies of protobufjs 8.8.1 (under @temporalio/common, /proto and
 * /worker; the hoisted one is grpc's 7.6.6), and those helpers pass a type built by
 * @temporalio/proto's copy to @temporalio/common's copy, whose `instanceof Type` check fails:
 * «TypeError: type must be a Type». `Worker.runReplayHistory` goes through the same
 * `historyFromJSON` for a JSON history. Here both sides use the protobufjs that
 * @temporalio/proto was built with, which gives the same JSON; replay.test.ts keeps a test
 * of the SDK's own reader so the day the install is fixed shows.
 */
import { createRequire } from 'node:module';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';

type History = proto.temporal.api.history.v1.IHistory;
type ProtoType = { fromObject(value: unknown): unknown };
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = requireFromProto('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): ProtoType }).lookupType('temporal.api.history.v1.History');

/** A fetched history as ProtoJSON (a plain object, ready for `JSON.stringify`). */
export function historyToProtoJson(history: History): unknown {
  return protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history));
}

/** A ProtoJSON history as the History message `Worker.runReplayHistory` takes as it is. */
export function historyFromProtoJson(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (history === null) throw new TypeError('not a history');
  return history as History;
}
