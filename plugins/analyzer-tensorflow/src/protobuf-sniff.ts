/** Reads a protobuf varint at `at`; undefined when it runs past `bytes` or over 5 bytes (lengths only). */
function varint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5 && at + i < bytes.length; i++) {
    const b = bytes[at + i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  return undefined;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * True when `head` starts like a serialized GraphDef: field 1 (`node`, a
 * NodeDef) whose own field 1 is a printable name and field 2 an op name.
 */
export function looksLikeGraphDef(head: Uint8Array): boolean {
  if (head[0] !== 0x0a) return false;
  const nodeLength = varint(head, 1);
  if (!nodeLength || head[nodeLength.next] !== 0x0a) return false;
  const nameLength = varint(head, nodeLength.next + 1);
  if (!nameLength || nameLength.value === 0 || nameLength.value > 4096) return false;
  const afterName = nameLength.next + nameLength.value;
  if (afterName + 2 > head.length) return false;
  const name = Buffer.from(head.subarray(nameLength.next, afterName)).toString("latin1");
  if (!/^[\x21-\x7e]+$/.test(name) || head[afterName] !== 0x12) return false;
  const opLength = varint(head, afterName + 1);
  if (!opLength || opLength.value === 0 || opLength.value > 256 || opLength.next + opLength.value > head.length) return false;
  return IDENT.test(Buffer.from(head.subarray(opLength.next, opLength.next + opLength.value)).toString("latin1"));
}

/**
 * True when `head` starts like a serialized SavedModel: field 1
 * (`saved_model_schema_version`, varint 1) then field 2 (`meta_graphs`) whose
 * MetaGraphDef starts with `meta_info_def` (1) or `graph_def` (2).
 */
export function looksLikeSavedModel(head: Uint8Array): boolean {
  if (head[0] !== 0x08 || head[1] !== 0x01 || head[2] !== 0x12) return false;
  const length = varint(head, 3);
  return length !== undefined && (head[length.next] === 0x0a || head[length.next] === 0x12);
}
