// The parts of jsfive 0.4.2 (pure-JS HDF5 reader, no bundled types) this package uses.
declare module "jsfive" {
  export class Group {
    readonly name: string;
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Group | Dataset | null;
    visititems(fn: (name: string, obj: Group | Dataset) => unknown): unknown;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
  export class Dataset {
    readonly name: string;
    readonly value: unknown;
    readonly shape: number[];
    readonly dtype: unknown;
    readonly attrs: Record<string, unknown>;
  }
}
