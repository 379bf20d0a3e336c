import { bunzip2, gunzip, unxz, type DecodeFn } from "@modelward/plugin-kit";

/** A single-stream compression wrapper this package decodes. */
export type WrapperKind = "gzip" | "bzip2" | "xz";

/** The streaming decoder for a wrapper kind (each holds a bounded window, never the whole input). */
export function decoderFor(kind: WrapperKind): DecodeFn {
  return kind === "gzip" ? gunzip : kind === "bzip2" ? bunzip2 : unxz;
}
