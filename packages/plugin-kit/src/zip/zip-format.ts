// Constants of the ZIP format, from PKWARE's APPNOTE.TXT 6.3.10
// (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT); section numbers beside each.

/** Local file header signature `PK\3\4` (4.3.7). */
export const LOCAL_FILE_HEADER_SIG = 0x04034b50;
/** Fixed part of a local file header (4.3.7). */
export const LOCAL_FILE_HEADER_SIZE = 30;
/** Central directory file header signature `PK\1\2` (4.3.12). */
export const CENTRAL_HEADER_SIG = 0x02014b50;
/** Fixed part of a central directory header (4.3.12). */
export const CENTRAL_HEADER_SIZE = 46;
/** End of central directory record signature `PK\5\6` (4.3.16). */
export const EOCD_SIG = 0x06054b50;
/** Fixed part of the end of central directory record (4.3.16). */
export const EOCD_SIZE = 22;
/** The archive comment length is a u16, so the EOCD sits within this many bytes of the end (4.3.16). */
export const EOCD_MAX_SEARCH = EOCD_SIZE + 0xffff;
/** ZIP64 end of central directory locator signature `PK\6\7` (4.3.15). */
export const ZIP64_LOCATOR_SIG = 0x07064b50;
/** Size of the ZIP64 locator (4.3.15). */
export const ZIP64_LOCATOR_SIZE = 20;
/** ZIP64 end of central directory record signature `PK\6\6` (4.3.14). */
export const ZIP64_EOCD_SIG = 0x06064b50;
/** Fixed part of the ZIP64 EOCD record, signature and size field included (4.3.14). */
export const ZIP64_EOCD_SIZE = 56;
/** Data descriptor signature `PK\7\8`, optional before the descriptor (4.3.9.3). */
export const DATA_DESCRIPTOR_SIG = 0x08074b50;
/** Extra field header id of the ZIP64 extended information (4.5.3). */
export const ZIP64_EXTRA_ID = 0x0001;

/** Compression method 0: stored (4.4.5). */
export const METHOD_STORED = 0;
/** Compression method 8: deflate (4.4.5). */
export const METHOD_DEFLATE = 8;

/** General purpose bit 0: the entry is encrypted (4.4.4). */
export const FLAG_ENCRYPTED = 0x0001;
/** Bits 1-2: deflate options, harmless (4.4.4). */
export const FLAG_DEFLATE_OPTIONS = 0x0006;
/** Bit 3: sizes and CRC are in a data descriptor after the data (4.4.4). */
export const FLAG_DATA_DESCRIPTOR = 0x0008;
/** Bit 4: enhanced deflating, reserved (4.4.4). */
export const FLAG_ENHANCED_DEFLATE = 0x0010;
/** Bit 5: compressed patched data; Python's zipfile refuses it (4.4.4, CVE-2025-1945). */
export const FLAG_PATCHED_DATA = 0x0020;
/** Bit 6: strong encryption; Python's zipfile refuses it (4.4.4, CVE-2025-1945). */
export const FLAG_STRONG_ENCRYPTION = 0x0040;
/** Bit 11: names and comments are UTF-8 (4.4.4). */
export const FLAG_UTF8 = 0x0800;
/** Bit 13: the central directory is encrypted and local header values masked (4.4.4). */
export const FLAG_MASKED_HEADERS = 0x2000;
/** Bits a normal writer sets: deflate options, data descriptor, UTF-8. */
export const FLAGS_ORDINARY = FLAG_DEFLATE_OPTIONS | FLAG_DATA_DESCRIPTOR | FLAG_UTF8;
/** Bits that make a strict parser (Python's zipfile) refuse an entry a lenient loader (PyTorch) reads. */
export const FLAGS_REFUSED_BY_STRICT_PARSERS = FLAG_ENCRYPTED | FLAG_PATCHED_DATA | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS;

/** Size of the ZipCrypto encryption header that precedes encrypted data (6.1.3). */
export const ZIPCRYPTO_HEADER_SIZE = 12;
/** Compression method 99 marks WinZip AES encryption (APPNOTE 4.4.5, WinZip AE-x spec). */
export const METHOD_AES = 99;

/** Host system "UNIX" in the upper byte of version made by (4.4.2.2). */
export const HOST_UNIX = 3;
/** Host system "OS X (Darwin)" in the upper byte of version made by (4.4.2.2); uses UNIX modes too. */
export const HOST_OSX = 19;
/** `S_IFMT`: file-type mask of a UNIX mode kept in the external attributes' high 16 bits (4.4.15). */
export const S_IFMT = 0o170000;
/** `S_IFLNK`: the UNIX file type of a symbolic link. */
export const S_IFLNK = 0o120000;
/** `S_IFDIR`: the UNIX file type of a directory. */
export const S_IFDIR = 0o040000;

/** Names of the compression methods in APPNOTE 4.4.5, for messages. */
export const METHOD_NAMES: Readonly<Record<number, string>> = {
  0: "stored",
  1: "shrunk",
  6: "imploded",
  8: "deflate",
  9: "deflate64",
  12: "bzip2",
  14: "lzma",
  93: "zstd",
  95: "xz",
  98: "ppmd",
  99: "aes-encrypted",
};
