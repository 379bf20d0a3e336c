import pkg from "../package.json";

/** The modelward package version, written into reports. */
export const VERSION: string = pkg.version;
