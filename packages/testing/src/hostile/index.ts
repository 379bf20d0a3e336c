import { filesystemHostileCases } from "./filesystem.js";
import type { HostileCase } from "./hostile-case.js";
import { pickleHostileCases } from "./pickle.js";

export type { HostileCase, HostileSize } from "./hostile-case.js";
export { writeChunked, repeated } from "./write-stream.js";
export { pickleHostileCases } from "./pickle.js";
export { filesystemHostileCases } from "./filesystem.js";

/** Every family of the hostile-input suite (archive families join here as they land: `./archives.ts`). */
export const hostileCases: HostileCase[] = [...pickleHostileCases, ...filesystemHostileCases];
