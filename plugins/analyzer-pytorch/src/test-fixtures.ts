import { concatBytes, pickle, zipCrc32 } from "@modelward/testing";

/** `os.system("echo pwned")` as protocol 4 (STACK_GLOBAL + REDUCE): the harmless payload of every malicious fixture. */
export function payloadP4(): Uint8Array {
  return pickle().proto(4).callStr("os", "system", "echo pwned").stop().toBytes();
}

/** `posix.system("echo pwned")` as protocol 2 (GLOBAL + REDUCE), as `torch.save` would pickle a `__reduce__` payload. */
export function payloadP2(): Uint8Array {
  return pickle().proto(2).global("posix", "system").binUnicode("echo pwned").tupleN(1).reduce().stop().toBytes();
}

/** `cposix\nsystem\n(S'echo pwned'\ntR.`: protocol 0, no magic byte (CVE-2025-10155). */
export function payloadP0(): Uint8Array {
  return pickle().global("posix", "system").mark().string("'echo pwned'").tuple().reduce().stop().toBytes();
}

/** The bytes `{"hidden_size": 64}` a real config.json holds. */
export const CONFIG_JSON = '{"hidden_size": 64, "architectures": ["Net"]}';

/** A ZipCrypto-looking stored entry: 12 header bytes more than declared, flag bit 0. */
export function fakeZipCrypto(data: Uint8Array): { rawCompressed: Uint8Array; flags: number; uncompressedSize: number; crc32: number } {
  return { rawCompressed: concatBytes(new Uint8Array(12).fill(0x5a), data.map((b) => b ^ 0x33)), flags: 0x1, uncompressedSize: data.length, crc32: zipCrc32(data) };
}
