import type { RuleMeta, Taxonomy } from "@modelward/core";

// Crosswalk of docs/peers-and-threats.md §7.
const DIFFERENTIAL: Taxonomy = { cwe: ["CWE-436", "CWE-693"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const TRAVERSAL: Taxonomy = { cwe: ["CWE-22"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
const LINKS: Taxonomy = { cwe: ["CWE-59"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };
// §7 gives bombs no ATLAS/OWASP id; resource exhaustion maps to ATLAS "Denial of AI Service"
// and OWASP LLM10:2025 "Unbounded Consumption".
const BOMB: Taxonomy = { cwe: ["CWE-409", "CWE-400"], atlas: ["AML.T0029"], owasp: ["LLM10:2025"] };
const UNSCANNED: Taxonomy = { cwe: ["CWE-693"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };

const APPNOTE = "https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT";
const PICKLESCAN_NAME = "https://github.com/mmaitre314/picklescan/security/advisories/GHSA-7q5r-7gvp-wc82";
const PICKLESCAN_FLAGS = "https://github.com/mmaitre314/picklescan/security/advisories/GHSA-w8jq-xcqf-f792";
const CVE_CRC = "https://nvd.nist.gov/vuln/detail/CVE-2025-10156";
const ZIP_SLIP = "https://security.snyk.io/research/zip-slip-vulnerability";
const ZIP_BOMB = "https://www.bamsoftware.com/hacks/zipbomb/";
const NULLIFAI = "https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face";
const TORCH_CRC = "https://github.com/pytorch/pytorch/issues/28858";

const DIFF_FIX =
  "Do not load the archive. Rebuild it from trusted sources with a standard writer (`torch.save`, `zipfile`), or re-download it from its publisher and compare hashes.";

function rule(id: string, r: Omit<RuleMeta, "id">): RuleMeta {
  return { id: `archive/${id}`, ...r };
}

/** Every rule the archive analyzers report. */
export const RULES = {
  pathTraversal: rule("path-traversal", {
    title: "Archive member path escapes the extraction folder",
    description:
      "A member name has a `..` component or is absolute (`/…`, `C:…`, `\\\\…`). Extracting the archive writes outside the target folder (zip-slip), which can overwrite code or configuration that runs later.",
    remediation: "Never extract this archive with a tool that follows member paths. Ask the publisher for an archive with relative, normalised member names.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: TRAVERSAL,
    references: [ZIP_SLIP, "https://cwe.mitre.org/data/definitions/22.html"],
  }),
  suspiciousName: rule("suspicious-name", {
    title: "Archive member name with backslashes or control characters",
    description:
      "A member name contains backslashes (a separator on Windows), NUL or control characters, or is empty. Readers written in C stop at NUL, and Windows extractors split at backslashes, so tools disagree about which file this is.",
    remediation: "Inspect the member names; rebuild the archive with plain `/`-separated names.",
    defaultSeverity: "low",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [APPNOTE],
  }),
  linkEntry: rule("link-entry", {
    title: "Symbolic or hard link in an archive",
    description:
      "The archive holds a symbolic link (ZIP UNIX mode or tar type 2) or a hard link (tar type 1). Extracting it can redirect later writes or reads to files outside the extraction folder.",
    remediation: "Extract with link creation disabled, or reject the archive. Model archives never need links.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: LINKS,
    references: ["https://cwe.mitre.org/data/definitions/59.html", ZIP_SLIP],
  }),
  encryptedMember: rule("encrypted-member", {
    title: "Encrypted archive member could not be analyzed",
    description:
      "A member is encrypted (ZipCrypto or AES), so its content was not analyzed. A password-protected member can hide anything. The severity is low because nothing is known about the content; what keeps this from passing silently is the incomplete analysis recorded with it, which fails the scan under the defaults (failOnIncomplete).",
    remediation: "Obtain the unencrypted artifact and scan it, or do not use it.",
    defaultSeverity: "low",
    category: "integrity",
    taxonomy: UNSCANNED,
    references: [APPNOTE, "https://github.com/protectai/modelscan/blob/main/tests/test_modelscan.py"],
  }),
  unsupportedCompression: rule("unsupported-compression", {
    title: "Archive member uses a compression method that was not decoded",
    description: "A member uses a compression method (e.g. bzip2, LZMA, zstd inside a ZIP) that Modelward does not decode, so its content was not analyzed.",
    remediation: "Recompress the archive with stored or deflate entries and scan again.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: UNSCANNED,
    references: [APPNOTE],
  }),
  malformed: rule("malformed", {
    title: "Archive is truncated or malformed",
    description:
      "The archive could not be fully parsed: a truncated directory, a corrupt compressed stream, a missing header. Part of it was not analyzed. Broken archives and broken pickles have been used to crash scanners while loaders still run the payload (nullifAI).",
    remediation: "Re-download the artifact from its publisher and verify its hash; do not load a file that does not parse cleanly.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: UNSCANNED,
    references: [NULLIFAI, APPNOTE],
  }),
  entryBomb: rule("entry-bomb", {
    title: "Archive has more members than the limit",
    description: "The archive declares more members than `maxMembersPerContainer`; members past the limit were not analyzed. Huge entry counts exhaust scanners and loaders.",
    remediation: "Split the artifact, or raise `limits.maxMembersPerContainer` if the archive is trusted and genuinely that large.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: BOMB,
    references: [ZIP_BOMB],
  }),
  decompressionBomb: rule("decompression-bomb", {
    title: "Decompression bomb",
    description:
      "A member expands beyond the compression ratio limit (`maxCompressionRatio`) or the archive expands beyond `maxExpandedBytes`. Such members exhaust memory or disk of whoever extracts them; the excess was not analyzed.",
    remediation: "Do not extract the archive. If it is trusted, raise the limits explicitly.",
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: BOMB,
    references: [ZIP_BOMB, "https://cwe.mitre.org/data/definitions/409.html"],
  }),
  notAnalyzed: rule("not-analyzed", {
    title: "Archive could not be opened",
    description: "The archive format is recognised but the archive could not be opened within the limits (e.g. a 7z archive too large to unpack in memory), so its members were not analyzed.",
    remediation: "Unpack the archive with a trusted tool in a sandbox and scan the extracted files.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: UNSCANNED,
    references: [NULLIFAI],
  }),
  zipNameMismatch: rule("zip-name-mismatch", {
    title: "ZIP local header name differs from the central directory name",
    description:
      "An entry's local header names it differently from the central directory. Python's zipfile refuses such archives (so scanners built on it stop), jszip uses the local name, PyTorch and yauzl the central name: a parser differential used to hide pickles from scanners (CVE-2025-1944).",
    remediation: DIFF_FIX,
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [PICKLESCAN_NAME, APPNOTE],
  }),
  zipCrcMismatch: rule("zip-crc-mismatch", {
    title: "ZIP entry CRC does not match its data",
    description:
      "The CRC-32 of an entry's data differs from the declared one. PyTorch does not check CRCs while strict parsers abort, so editing a pickle after zipping hides it from those scanners (CVE-2025-10156).",
    remediation: DIFF_FIX,
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [CVE_CRC, TORCH_CRC],
  }),
  zipFlagBits: rule("zip-flag-bits", {
    title: "ZIP entry has general-purpose flag bits loaders ignore",
    description:
      "An entry sets flag bits that strict parsers refuse (encryption 0x1 on plain data, 0x20 patched data, 0x40 strong encryption, 0x2000 masked headers) while PyTorch ignores them and loads the data (CVE-2025-1945); or reserved bits (low).",
    remediation: DIFF_FIX,
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [PICKLESCAN_FLAGS, APPNOTE],
  }),
  zipDuplicateName: rule("zip-duplicate-name", {
    title: "ZIP archive has two entries with the same name",
    description: "Two entries share a name. Python's zipfile keeps the last, other readers the first: a scanner and a loader can read different content under the same name.",
    remediation: DIFF_FIX,
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [APPNOTE],
  }),
  zipOverlappingEntries: rule("zip-overlapping-entries", {
    title: "ZIP entries overlap",
    description:
      "The byte ranges of entries (or of an entry and the central directory) overlap. Overlapping entries are the basis of non-recursive zip bombs and let one payload appear under several names.",
    remediation: DIFF_FIX,
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: { cwe: ["CWE-436", "CWE-409"], atlas: ["AML.T0010.003", "AML.T0029"], owasp: ["LLM03:2025", "LLM10:2025"] },
    references: [ZIP_BOMB],
  }),
  zipHeaderMismatch: rule("zip-header-mismatch", {
    title: "ZIP headers disagree about an entry",
    description:
      "The local header, central directory or data descriptor disagree about an entry's sizes, method or flags, or the data inflates to a different size than declared. Readers that trust different headers read different bytes.",
    remediation: DIFF_FIX,
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [APPNOTE],
  }),
  zipDirectoryMismatch: rule("zip-directory-mismatch", {
    title: "ZIP end records disagree about the central directory",
    description:
      "The end-of-central-directory record, its ZIP64 counterpart and the directory itself disagree (entry counts, positions, disk numbers). Parsers that follow different records list different entries.",
    remediation: DIFF_FIX,
    defaultSeverity: "high",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [APPNOTE],
  }),
  zipPrependedData: rule("zip-prepended-data", {
    title: "Data before the first ZIP entry",
    description:
      "Bytes precede the first entry: a self-extracting stub, or a polyglot file that is both a ZIP and something else (a pickle that runs when loaded as one). The prepended bytes were handed to analysis as their own artifact.",
    remediation: "Check what the prepended bytes are; a model archive has none.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: ["https://github.com/trailofbits/fickling/blob/master/fickling/polyglot.py", APPNOTE],
  }),
  zipTrailingData: rule("zip-trailing-data", {
    title: "Data after the end of the ZIP archive",
    description: "Bytes follow the end-of-central-directory record and its comment. They belong to no entry; they were handed to analysis as their own artifact.",
    remediation: "Check what the trailing bytes are; strip them if they are signing or padding data you expect.",
    defaultSeverity: "low",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [APPNOTE],
  }),
  zipHiddenData: rule("zip-hidden-data", {
    title: "ZIP bytes not referenced by the central directory",
    description:
      "Bytes between entries belong to no entry the central directory lists. A hidden local entry there is seen by streaming readers (which walk local headers) but not by directory readers. Hidden local entries found there were analyzed.",
    remediation: DIFF_FIX,
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: DIFFERENTIAL,
    references: [APPNOTE],
  }),
} satisfies Record<string, RuleMeta>;

/** The rules as a list, for analyzer declarations. */
export const ALL_RULES: RuleMeta[] = Object.values(RULES);
