/**
 * The subset of SARIF 2.1.0 this reporter writes, typed after the OASIS
 * standard (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html).
 * Property names follow the spec exactly, so objects serialise as they are.
 */

/** A SARIF property bag (§3.8): free-form extra data. */
export type PropertyBag = Record<string, unknown>;

/** A message (§3.11). */
export interface SarifMessage {
  /** Plain text. */
  text: string;
  /** GitHub-flavoured markdown rendering of the same text. */
  markdown?: string;
}

/** An artifact location (§3.4): a URI, relative to a base id when `uriBaseId` is set. */
export interface ArtifactLocation {
  /** URI reference; relative ones resolve against `uriBaseId`. */
  uri: string;
  /** Key of `run.originalUriBaseIds`. */
  uriBaseId?: string;
  /** What the location is. */
  description?: SarifMessage;
  /** Extra data. */
  properties?: PropertyBag;
}

/** A region (§3.30): text (line, column) and/or binary (byte offset) coordinates. */
export interface Region {
  /** 1-based line. */
  startLine?: number;
  /** 1-based column. */
  startColumn?: number;
  /** 0-based byte offset. */
  byteOffset?: number;
  /** Length in bytes from `byteOffset`. */
  byteLength?: number;
}

/** A physical location (§3.29). */
export interface PhysicalLocation {
  /** The file. */
  artifactLocation: ArtifactLocation;
  /** Where in the file. */
  region?: Region;
}

/** A location (§3.28). */
export interface SarifLocation {
  /** The physical location. */
  physicalLocation: PhysicalLocation;
  /** What is at the location. */
  message?: SarifMessage;
  /** Extra data. */
  properties?: PropertyBag;
}

/** A reporting configuration (§3.50). */
export interface ReportingConfiguration {
  /** Default level of the rule's results. */
  level: SarifLevel;
}

/** A reporting descriptor: one rule (§3.49). */
export interface ReportingDescriptor {
  /** Stable rule id. */
  id: string;
  /** Non-localised, human-readable identifier in PascalCase. */
  name?: string;
  /** One-line summary. */
  shortDescription: SarifMessage;
  /** What the rule detects. */
  fullDescription: SarifMessage;
  /** What to do about a result. */
  help: SarifMessage;
  /** Documentation page. */
  helpUri?: string;
  /** Default level. */
  defaultConfiguration: ReportingConfiguration;
  /** Tags, `security-severity`, precision (GitHub code scanning reads these). */
  properties: PropertyBag;
}

/** SARIF result and notification levels (§3.27.10). */
export type SarifLevel = "error" | "warning" | "note" | "none";

/** A suppression (§3.35). */
export interface SarifSuppression {
  /** `external`: the suppression lives outside the scanned artifact (config or baseline file). */
  kind: "inSource" | "external";
  /** Whether the suppression is in effect. */
  status: "accepted" | "underReview" | "rejected";
  /** Why. */
  justification?: string;
  /** Extra data. */
  properties?: PropertyBag;
}

/** A result (§3.27). */
export interface SarifResult {
  /** The rule id. */
  ruleId: string;
  /** Index of the rule in `tool.driver.rules`. */
  ruleIndex: number;
  /** Level. */
  level: SarifLevel;
  /** What was found. */
  message: SarifMessage;
  /** Where. */
  locations: SarifLocation[];
  /** Stable identity for result matching across runs. */
  partialFingerprints: Record<string, string>;
  /** How many identical results were folded into this one. */
  occurrenceCount?: number;
  /** Present when the result is accepted. */
  suppressions?: SarifSuppression[];
  /** `security-severity` and Modelward's facts. */
  properties: PropertyBag;
}

/** A notification (§3.58). */
export interface SarifNotification {
  /** Level. */
  level: SarifLevel;
  /** What happened. */
  message: SarifMessage;
  /** Which file it concerns. */
  locations?: SarifLocation[];
  /** A descriptor id for the kind of notification. */
  descriptor?: { id: string; index: number };
  /** Extra data. */
  properties?: PropertyBag;
}

/** An invocation (§3.20). */
export interface Invocation {
  /** False when any artifact was not fully analyzed. */
  executionSuccessful: boolean;
  /** The working directory of the scan. */
  workingDirectory?: ArtifactLocation;
  /** ISO 8601 UTC. */
  startTimeUtc?: string;
  /** ISO 8601 UTC. */
  endTimeUtc?: string;
  /** Incomplete and skipped artifacts. */
  toolExecutionNotifications: SarifNotification[];
  /** Extra data. */
  properties?: PropertyBag;
}

/** The tool component (§3.19). */
export interface ToolComponent {
  /** Tool name. */
  name: string;
  /** Version as the tool reports it. */
  version: string;
  /** Version when it is semver. */
  semanticVersion?: string;
  /** Project page. */
  informationUri: string;
  /** Rules referenced by the results. */
  rules: ReportingDescriptor[];
  /** Descriptors of the notifications the tool emits. */
  notifications?: ReportingDescriptor[];
  /** Extra data. */
  properties?: PropertyBag;
}

/** A run (§3.14). */
export interface SarifRun {
  /** The tool. */
  tool: { driver: ToolComponent };
  /** One invocation. */
  invocations: Invocation[];
  /** Base URIs of the scanned targets. */
  originalUriBaseIds: Record<string, ArtifactLocation>;
  /** How columns are counted. */
  columnKind: "utf16CodeUnits" | "unicodeCodePoints";
  /** Results. */
  results: SarifResult[];
  /** Extra data. */
  properties?: PropertyBag;
}

/** The top-level SARIF log (§3.13). */
export interface SarifLog {
  /** The schema the log follows. */
  $schema: string;
  /** Always `2.1.0`. */
  version: "2.1.0";
  /** Runs: this reporter writes exactly one. */
  runs: SarifRun[];
}
