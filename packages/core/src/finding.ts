import type { Confidence } from "./rule.js";
import type { Severity } from "./severity.js";
import type { Category, Taxonomy } from "./taxonomy.js";

/** A scalar value in a finding's evidence. */
export type EvidenceValue = string | number | boolean;

/**
 * Where inside an artifact a finding points. All fields are optional;
 * set the ones the format has.
 */
export interface PositionInFile {
  /** Byte offset from the start of the artifact (the innermost member for nested ones). */
  byteOffset?: number;
  /** RFC 6901 pointer into a JSON document (Keras config, notebook, tokenizer config). */
  jsonPointer?: string;
  /** Notebook cell index, 0-based. */
  cell?: number;
  /** 1-based line in a text artifact (or in the cell, when `cell` is set). */
  line?: number;
  /** 1-based column on that line. */
  column?: number;
}

/**
 * Where a finding is. `path` names the file the source yielded (relative to
 * the scanned root, `/`-separated); `members` is the chain of archive members
 * from that file down to the artifact the finding is in, outermost first
 * (`model.pt` ▸ `archive/data.pkl` is `path: "model.pt", members: ["archive/data.pkl"]`).
 */
export interface Location extends PositionInFile {
  /** The canonical URI of the scanned target (see {@link TargetDescription.uri}). */
  target: string;
  /** Path of the top-level file, relative to the target root. */
  path: string;
  /** Member chain inside `path`; empty for a top-level file. */
  members: string[];
}

/** A suppression that was applied to a finding; suppressed findings are kept, marked. */
export interface Suppression {
  /** `config`: a `suppressions` entry of the config; `baseline`: an accepted-findings file. */
  kind: "config" | "baseline";
  /** Why it was accepted, as the user wrote it. */
  justification?: string;
}

/**
 * What an analyzer reports. The engine completes it into a {@link Finding}:
 * severity, confidence, category and taxonomy default to the rule's, the
 * location gets the target, path and member chain of the artifact.
 */
export interface FindingInput {
  /** A rule the analyzer (or a loaded ruleset) declares. */
  ruleId: string;
  /** Says what and where, e.g. `calls os.system('curl … | sh') at byte 112`. */
  message: string;
  /** Overrides the rule's default (e.g. a denylist entry's own severity). */
  severity?: Severity;
  /** Overrides the rule's default confidence. */
  confidence?: Confidence;
  /** Position inside the artifact. */
  position?: PositionInFile;
  /** Machine-readable facts behind the finding (module, name, call expression…). */
  evidence?: Record<string, EvidenceValue>;
  /** Extra taxonomy ids beyond the rule's (merged, not replaced). */
  taxonomy?: Taxonomy;
}

/** A finding as it appears in the {@link ScanReport}. */
export interface Finding {
  /** Namespaced rule id, e.g. `pickle/unsafe-global`. */
  ruleId: string;
  /** Effective severity after config overrides. */
  severity: Severity;
  /** How sure the analyzer is. */
  confidence: Confidence;
  /** Risk class, from the rule. */
  category: Category;
  /** Says what and where. */
  message: string;
  /** Where it is. */
  location: Location;
  /** Machine-readable facts. */
  evidence: Record<string, EvidenceValue>;
  /** CWE / ATLAS / OWASP ids (rule's plus the finding's own). */
  taxonomy: Taxonomy;
  /** Stable across runs over the same content: hex digest of rule, location and evidence key. */
  fingerprint: string;
  /** Present when the finding was accepted by configuration. */
  suppression?: Suppression;
  /** How many identical findings were folded into this one by dedupe (1 when unique). */
  occurrences: number;
}
