// A large legacy (non-zip) torch.save file without a large disk: the pickles are
// written, and each storage is its int64 element count followed by a file hole.
import { open } from "node:fs/promises";
import { TORCH_LEGACY_MAGIC, torchLegacyKeysPickle, torchLegacyProtocolPickle, torchLegacySysInfoPickle, torchStateDictPickle, torchStorages } from "@modelward/testing";

/** Writes a legacy torch file of `tensors` (each with an explicit `key`) at `path`. */
export async function writeSparseLegacyTorch(path, tensors) {
  const storages = torchStorages(tensors).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const head = Buffer.concat([
    TORCH_LEGACY_MAGIC,
    torchLegacyProtocolPickle(),
    torchLegacySysInfoPickle(),
    torchStateDictPickle(tensors, true),
    torchLegacyKeysPickle(storages.map((s) => s.key)),
  ]);
  const handle = await open(path, "w");
  try {
    await handle.write(head, 0, head.length, 0);
    let offset = head.length;
    for (const s of storages) {
      const count = Buffer.alloc(8);
      count.writeBigInt64LE(BigInt(s.numel));
      await handle.write(count, 0, 8, offset);
      offset += 8 + s.nbytes;
    }
    await handle.truncate(offset);
  } finally {
    await handle.close();
  }
}
