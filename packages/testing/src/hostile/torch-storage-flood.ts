import { join } from "node:path";
import { pickle } from "../pickle-builder.js";
import { zipStream, type StreamedZipEntry } from "../zip-stream.js";
import type { HostileCase } from "./hostile-case.js";
import { writeChunked } from "./write-stream.js";

/** Tensors per SETITEMS batch, as CPython's pickler batches dict items (`_BATCHSIZE`). */
const BATCH = 1000;

/**
 * `data.pkl` of a state dict of `count` one-element float tensors `t<i>`, each on its own storage
 * `data/<i>`, in chunks of a thousand tensors. Globals and repeated strings are memoised once and
 * fetched with GET, as CPython's pickler writes them, so a million tensors cost about 60 MB.
 */
function* stateDictChunks(count: number): Generator<Uint8Array> {
  yield pickle()
    .proto(2)
    .global("torch._utils", "_rebuild_tensor_v2").put(0).pop()
    .global("torch", "FloatStorage").put(1).pop()
    .binUnicode("storage").put(3).pop()
    .binUnicode("cpu").put(4).pop()
    .global("collections", "OrderedDict").put(2).emptyTuple().reduce()
    .build_();
  for (let first = 0; first < count; first += BATCH) {
    const b = pickle().mark();
    for (let i = first; i < Math.min(count, first + BATCH); i++) {
      b.binUnicode(`t${i}`).get(0).mark();
      b.mark().get(3).get(1).binUnicode(String(i)).get(4).binInt(1).tuple().binPersId();
      b.binInt(0).binInt(1).tupleN(1).binInt(1).tupleN(1).bool(false).get(2).emptyTuple().reduce();
      b.tuple().reduce();
    }
    yield b.setItems().build_();
  }
  yield pickle().stop().build_();
}

/**
 * A torch zip checkpoint (`torch.save` layout, ZIP64 since it passes 65,535 records) whose
 * `data.pkl` references `count` storages, each present as a 4-byte `archive/data/<i>` member:
 * the million-storage flood of issue 18, streamed so the 130 MB file is never held whole.
 */
export function torchStorageFlood(count: number): Generator<Uint8Array> {
  const storage = new Uint8Array(4);
  const entryAt = (i: number): StreamedZipEntry => {
    if (i === 0) return { name: "archive/data.pkl", data: () => stateDictChunks(count) };
    if (i === 1) return { name: "archive/byteorder", data: "little" };
    if (i === count + 2) return { name: "archive/version", data: "3\n" };
    if (i === count + 3) return { name: "archive/.data/serialization_id", data: "1234567890123456789012345678901234567890" };
    return { name: `archive/data/${i - 2}`, data: storage };
  };
  return zipStream(count + 4, entryAt);
}

/** Torch checkpoints built to exhaust a scanner. */
export const torchHostileCases: HostileCase[] = [
  {
    name: "torch/million-storages",
    build: (dir, size) => writeChunked(join(dir, "flood.pt"), () => torchStorageFlood(size === "small" ? 1_500 : 1_000_000)),
    // The small size trips the same limit the full one does at its default (100,000 members).
    config: (size) => (size === "small" ? { limits: { maxMembersPerContainer: 500 } } : undefined),
    // Full size today: named and exit 1, but about 40 s of CPU and 1.1 GB peak RSS (issue 18 item 3, open).
    expect: { exit: 1, names: /archive\/entry-bomb/ },
  },
];
