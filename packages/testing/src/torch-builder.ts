import { PickleBuilder, concatBytes, pickle } from "./pickle-builder.js";
import { buildTar, type TarFixtureEntry } from "./tar-builder.js";
import { buildZip, type ZipFixtureEntry, type ZipFixtureOptions } from "./zip-builder.js";

/**
 * Fixture writers for PyTorch files, byte-compatible with what `torch.save`
 * and `torch.jit.save` write (torch/serialization.py `_save`/`_legacy_save`,
 * caffe2/serialize/inline_container.cc). Nothing here loads anything; tensor
 * data is zeros unless given.
 */

/** One tensor of a state dict. */
export interface TorchTensorSpec {
  /** Storage class under `torch` (`FloatStorage`, `LongStorage`…). Default `FloatStorage`. */
  storageType?: string;
  /** Shape; numel is its product. Default `[4]`. */
  shape?: number[];
  /** Storage key; default the tensor's index as torch numbers them (`"0"`, `"1"`…). */
  key?: string;
  /** Wrap in `torch.nn.Parameter` (`_rebuild_parameter`), as module saves do. */
  parameter?: boolean;
}

/** Element size of each `torch.<X>Storage` (torch._utils._element_size). */
export const TORCH_STORAGE_ELEMENT_SIZES: Readonly<Record<string, number>> = Object.freeze({
  FloatStorage: 4, DoubleStorage: 8, HalfStorage: 2, BFloat16Storage: 2, LongStorage: 8, IntStorage: 4, ShortStorage: 2,
  CharStorage: 1, ByteStorage: 1, BoolStorage: 1, ComplexFloatStorage: 8, ComplexDoubleStorage: 16, QUInt8Storage: 1,
  QInt8Storage: 1, QInt32Storage: 4, QUInt4x2Storage: 1, QUInt2x4Storage: 1, UntypedStorage: 1,
});

/** A resolved tensor: its storage key, type, element count and byte size. */
export interface TorchStorageInfo {
  key: string;
  storageType: string;
  numel: number;
  nbytes: number;
}

/** Resolves specs to storages (key, type, numel, bytes), in the order torch numbers them. */
export function torchStorages(tensors: Record<string, TorchTensorSpec>): TorchStorageInfo[] {
  return Object.values(tensors).map((t, i) => {
    const storageType = t.storageType ?? "FloatStorage";
    const numel = (t.shape ?? [4]).reduce((a, b) => a * b, 1);
    return { key: t.key ?? String(i), storageType, numel, nbytes: numel * (TORCH_STORAGE_ELEMENT_SIZES[storageType] ?? 1) };
  });
}

function contiguousStrides(shape: number[]): number[] {
  const s: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s.unshift(acc);
    acc *= shape[i]!;
  }
  return s;
}

function intTuple(b: PickleBuilder, xs: number[]): void {
  if (xs.length === 0) b.emptyTuple();
  else if (xs.length <= 3) {
    for (const x of xs) b.binInt(x);
    b.tupleN(xs.length as 1 | 2 | 3);
  } else {
    b.mark();
    for (const x of xs) b.binInt(x);
    b.tuple();
  }
}

/**
 * Appends `torch._utils._rebuild_tensor_v2(<persistent storage>, 0, shape, stride, False, OrderedDict())`
 * with the zip-format persistent id `('storage', torch.<Type>, key, 'cpu', numel)`, or the legacy
 * one with a sixth `view_metadata` item (None).
 */
export function appendTorchTensor(b: PickleBuilder, spec: TorchTensorSpec, key: string, legacy = false): PickleBuilder {
  const shape = spec.shape ?? [4];
  const numel = shape.reduce((a, x) => a * x, 1);
  if (spec.parameter) b.global("torch._utils", "_rebuild_parameter").mark();
  b.global("torch._utils", "_rebuild_tensor_v2").mark();
  b.mark().binUnicode("storage").global("torch", spec.storageType ?? "FloatStorage").binUnicode(key).binUnicode("cpu").binInt(numel);
  if (legacy) b.none();
  b.tuple().binPersId();
  b.binInt(0);
  intTuple(b, shape);
  intTuple(b, contiguousStrides(shape));
  b.bool(false).global("collections", "OrderedDict").emptyTuple().reduce();
  b.tuple().reduce();
  if (spec.parameter) b.bool(true).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
  return b;
}

/** Appends an `OrderedDict` of name → tensor, as `torch.save(model.state_dict())` pickles it. */
export function appendStateDict(b: PickleBuilder, tensors: Record<string, TorchTensorSpec>, legacy = false): PickleBuilder {
  const infos = torchStorages(tensors);
  b.global("collections", "OrderedDict").emptyTuple().reduce();
  const names = Object.keys(tensors);
  if (names.length === 0) return b;
  b.mark();
  names.forEach((name, i) => {
    b.binUnicode(name);
    appendTorchTensor(b, tensors[name]!, infos[i]!.key, legacy);
  });
  return b.setItems();
}

/** `data.pkl` of `torch.save(state_dict)` (protocol 2). */
export function torchStateDictPickle(tensors: Record<string, TorchTensorSpec>, legacy = false): Uint8Array {
  return appendStateDict(pickle().proto(2), tensors, legacy).stop().toBytes();
}

/** `data.pkl` of `torch.save(model)` for a `torch.nn.Linear`: the module class rebuilt by NEWOBJ + BUILD. */
export function torchModulePickle(tensors: Record<string, TorchTensorSpec> = { weight: { shape: [2, 3], parameter: true }, bias: { shape: [2], parameter: true } }): Uint8Array {
  const b = pickle().proto(2).global("torch.nn.modules.linear", "Linear").emptyTuple().newObj();
  b.emptyDict().mark();
  b.binUnicode("training").bool(true);
  b.binUnicode("_parameters");
  appendStateDict(b, tensors);
  b.binUnicode("_buffers").global("collections", "OrderedDict").emptyTuple().reduce();
  b.binUnicode("in_features").binInt(3).binUnicode("out_features").binInt(2);
  return b.setItems().buildOp().stop().toBytes();
}

/** A Lightning-style checkpoint dict: epoch, global_step, version string, state_dict, optimizer states, plain hyper-parameters. */
export function lightningCheckpointPickle(tensors: Record<string, TorchTensorSpec> = { "model.weight": { shape: [2, 3] }, "model.bias": { shape: [2] } }): Uint8Array {
  const b = pickle().proto(2).emptyDict().mark();
  b.binUnicode("epoch").binInt(3).binUnicode("global_step").binInt(1200);
  b.binUnicode("pytorch-lightning_version").binUnicode("2.1.0");
  b.binUnicode("state_dict");
  appendStateDict(b, tensors);
  b.binUnicode("loops").emptyDict();
  b.binUnicode("callbacks").emptyDict();
  b.binUnicode("optimizer_states").emptyList().mark().emptyDict().mark().binUnicode("state").emptyDict().binUnicode("param_groups").emptyList().setItems().appends();
  b.binUnicode("lr_schedulers").emptyList();
  b.binUnicode("hparams_name").binUnicode("kwargs");
  b.binUnicode("hyper_parameters").emptyDict().mark().binUnicode("lr").binFloat(0.001).binUnicode("hidden").binInt(64).setItems();
  return b.setItems().stop().toBytes();
}

/** Options of {@link buildTorchZip}. */
export interface TorchZipOptions {
  /** Folder all records sit in (torch uses the file's stem, or `archive`). Default `archive`. */
  prefix?: string;
  /** State dict tensors; their storages are written as `data/<key>`. */
  tensors?: Record<string, TorchTensorSpec>;
  /** `data.pkl` to write instead of the state dict pickle (the storages of `tensors` are still written). */
  dataPkl?: Uint8Array;
  /** Content of `version` (default `3\n`), or null to leave it out. */
  version?: string | null;
  /** Content of `byteorder` (default `little`), or null to leave it out. */
  byteorder?: string | null;
  /** Bytes of storages by key, instead of zeros of the right size. */
  storageData?: Record<string, Uint8Array>;
  /** More entries (full names), appended after torch's records. */
  extraEntries?: ZipFixtureEntry[];
  /** Field overrides of entries by full name (flags, crc32, localName…), for tampering. */
  tamper?: Record<string, Partial<ZipFixtureEntry>>;
  /** Record names (relative to the prefix) to leave out. */
  omit?: string[];
  /** Archive-level options. */
  zip?: ZipFixtureOptions;
}

/** The entries `torch.save` writes (data.pkl, byteorder, data/<key>…, version, .data/serialization_id). */
export function torchZipEntries(o: TorchZipOptions = {}): ZipFixtureEntry[] {
  const prefix = o.prefix ?? "archive";
  const tensors = o.tensors ?? { weight: { shape: [2, 3] }, bias: { shape: [2] } };
  const omit = new Set(o.omit ?? []);
  const entries: ZipFixtureEntry[] = [{ name: `${prefix}/data.pkl`, data: o.dataPkl ?? torchStateDictPickle(tensors) }];
  if (o.byteorder !== null) entries.push({ name: `${prefix}/byteorder`, data: o.byteorder ?? "little" });
  for (const s of torchStorages(tensors)) entries.push({ name: `${prefix}/data/${s.key}`, data: o.storageData?.[s.key] ?? new Uint8Array(s.nbytes) });
  if (o.version !== null) entries.push({ name: `${prefix}/version`, data: o.version ?? "3\n" });
  entries.push({ name: `${prefix}/.data/serialization_id`, data: "1234567890123456789012345678901234567890" });
  const all = [...entries.filter((e) => !omit.has(e.name.slice(prefix.length + 1))), ...(o.extraEntries ?? [])];
  return all.map((e) => ({ ...e, ...o.tamper?.[e.name] }));
}

/** A torch zip checkpoint as `torch.save` writes it (stored entries). */
export function buildTorchZip(o: TorchZipOptions = {}): Uint8Array {
  return buildZip(torchZipEntries(o), o.zip);
}

/** Options of {@link buildTorchScriptZip}. */
export interface TorchScriptOptions extends TorchZipOptions {
  /** Sources under `code/` by relative path. Default one `__torch__.py` with a plain forward. */
  code?: Record<string, string>;
}

/** TorchScript `data.pkl`: a `__torch__.<name>` object rebuilt by NEWOBJ + BUILD with its parameters. */
export function torchScriptDataPickle(className = "Net", tensors: Record<string, TorchTensorSpec> = { weight: { shape: [2, 3] } }): Uint8Array {
  const infos = torchStorages(tensors);
  const b = pickle().proto(2).global("__torch__", className).emptyTuple().newObj().emptyDict().mark();
  b.binUnicode("training").bool(false);
  Object.entries(tensors).forEach(([name, spec], i) => {
    b.binUnicode(name);
    appendTorchTensor(b, spec, infos[i]!.key);
  });
  return b.setItems().buildOp().stop().toBytes();
}

const DEFAULT_CODE = `class Net(Module):
  __parameters__ = ["weight", ]
  __buffers__ = []
  weight : Tensor
  training : bool
  def forward(self: __torch__.Net,
    x: Tensor) -> Tensor:
    _0 = torch.matmul(x, torch.t(self.weight))
    _1 = ops.prim.NumToTensor(torch.size(x, 0))
    return torch.relu(_0)
`;

/** A TorchScript archive as `torch.jit.save` writes it: data.pkl, constants.pkl, code/, debug pickles, version. */
export function buildTorchScriptZip(o: TorchScriptOptions = {}): Uint8Array {
  const prefix = o.prefix ?? "archive";
  const tensors = o.tensors ?? { weight: { shape: [2, 3] } };
  const code = o.code ?? { "__torch__.py": DEFAULT_CODE };
  const extra: ZipFixtureEntry[] = [{ name: `${prefix}/constants.pkl`, data: pickle().proto(2).emptyTuple().stop().toBytes() }];
  for (const [path, src] of Object.entries(code)) {
    extra.push({ name: `${prefix}/code/${path}`, data: src });
    extra.push({ name: `${prefix}/code/${path}.debug_pkl`, data: pickle().proto(2).emptyTuple().stop().toBytes() });
  }
  extra.push({ name: `${prefix}/extra/producer_info.json`, data: '{"producer": "test"}' });
  return buildTorchZip({ ...o, prefix, tensors, dataPkl: o.dataPkl ?? torchScriptDataPickle("Net", tensors), byteorder: o.byteorder === undefined ? null : o.byteorder, extraEntries: [...extra, ...(o.extraEntries ?? [])] });
}

/** The literal magic-number pickle legacy torch files start with (protocol 2). */
export const TORCH_LEGACY_MAGIC = Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);

/** `pickle.dumps(1001, protocol=2)`: the legacy protocol version. */
export function torchLegacyProtocolPickle(): Uint8Array {
  return pickle().proto(2).binInt(1001).stop().toBytes();
}

/** `pickle.dumps(sys_info, protocol=2)` as `_legacy_save` writes it. */
export function torchLegacySysInfoPickle(littleEndian = true): Uint8Array {
  return pickle().proto(2).emptyDict().mark()
    .binUnicode("protocol_version").binInt(1001)
    .binUnicode("little_endian").bool(littleEndian)
    .binUnicode("type_sizes").emptyDict().mark().binUnicode("short").binInt(2).binUnicode("int").binInt(4).binUnicode("long").binInt(4).setItems()
    .setItems().stop().toBytes();
}

/** `pickle.dumps(sorted_keys, protocol=2)`. */
export function torchLegacyKeysPickle(keys: string[]): Uint8Array {
  const b = pickle().proto(2).emptyList();
  if (keys.length === 1) b.binUnicode(keys[0]!).append();
  else if (keys.length > 1) {
    b.mark();
    for (const k of keys) b.binUnicode(k);
    b.appends();
  }
  return b.stop().toBytes();
}

/** Options of {@link buildLegacyTorch}. */
export interface LegacyTorchOptions {
  tensors?: Record<string, TorchTensorSpec>;
  /** Main pickle to write instead of the state dict (storages of `tensors` still follow). */
  mainPickle?: Uint8Array;
  /** Streams written between sys_info and the main pickle (desync padding). */
  before?: Uint8Array[];
  /** Bytes after the last storage. */
  append?: Uint8Array;
  /** Replace the magic pickle. */
  magic?: Uint8Array;
}

/** A legacy (non-zip) torch file: magic, protocol, sys_info, main pickle, keys pickle, then `<int64 numel><bytes>` per storage. */
export function buildLegacyTorch(o: LegacyTorchOptions = {}): Uint8Array {
  const tensors = o.tensors ?? { weight: { shape: [2, 3] }, bias: { shape: [2] } };
  const infos = torchStorages(tensors).map((s, i) => ({ ...s, key: tensors[Object.keys(tensors)[i]!]!.key ?? `9436384645${1200 + i}` }));
  const named = Object.fromEntries(Object.entries(tensors).map(([n, t], i) => [n, { ...t, key: infos[i]!.key }]));
  const sorted = [...infos].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const parts: Uint8Array[] = [o.magic ?? TORCH_LEGACY_MAGIC, torchLegacyProtocolPickle(), torchLegacySysInfoPickle(), ...(o.before ?? [])];
  parts.push(o.mainPickle ?? torchStateDictPickle(named, true), torchLegacyKeysPickle(sorted.map((s) => s.key)));
  for (const s of sorted) {
    const count = new Uint8Array(8);
    new DataView(count.buffer).setBigInt64(0, BigInt(s.numel), true);
    parts.push(count, new Uint8Array(s.nbytes));
  }
  if (o.append) parts.push(o.append);
  return concatBytes(...parts);
}

/** The torch ≤ 0.1.x tar layout: `sys_info`, `pickle`, `storages`, `tensors` members (plus any extra). */
export function buildLegacyTorchTar(extra: TarFixtureEntry[] = [], omit: string[] = []): Uint8Array {
  const storages = concatBytes(pickle().proto(2).binInt(0).stop().toBytes(), pickle().proto(2).emptyList().stop().toBytes());
  const members: TarFixtureEntry[] = [
    { name: "sys_info", data: torchLegacySysInfoPickle() },
    { name: "pickle", data: pickle().proto(2).emptyDict().stop().toBytes() },
    { name: "tensors", data: pickle().proto(2).binInt(0).stop().toBytes() },
    { name: "storages", data: storages },
  ].filter((m) => !omit.includes(m.name));
  return buildTar([...members, ...extra]);
}
