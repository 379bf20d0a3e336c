/** Extensions joblib dumps are saved under (joblib.dump picks the compressor from some of them). */
export const JOBLIB_EXT: ReadonlySet<string> = new Set(["joblib", "pkl", "pickle", "z", "gz", "bz2", "xz", "lzma", "lz4", "sav", "jbl"]);
