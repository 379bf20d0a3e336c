import { archiveHostileCases } from "./archives.js";
import { filesystemHostileCases } from "./filesystem.js";
import type { HostileCase } from "./hostile-case.js";
import { pickleHostileCases } from "./pickle.js";
import { torchHostileCases } from "./torch-storage-flood.js";

export type { HostileCase, HostileSize } from "./hostile-case.js";
export { writeChunked, repeated } from "./write-stream.js";
export { pickleHostileCases } from "./pickle.js";
export { filesystemHostileCases } from "./filesystem.js";
export { archiveHostileCases } from "./archives.js";

/** Every family of the hostile-input suite. */
export const hostileCases: HostileCase[] = [...pickleHostileCases, ...filesystemHostileCases, ...archiveHostileCases, ...torchHostileCases];
export { zipEntryFlood } from "./zip-flood.js";
export { sevenZipEmptyFiles } from "./sevenzip-flood.js";
export { torchStorageFlood } from "./torch-storage-flood.js";
