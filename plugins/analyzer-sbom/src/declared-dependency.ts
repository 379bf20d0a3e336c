/** How a dependency points at its code when it is not a plain index requirement. */
export interface DirectReference {
  /** `vcs` (git+, hg+, svn+, bzr+), `url` (an archive or wheel URL), `path` (a local file or folder). */
  kind: "vcs" | "url" | "path";
  /** The reference as written (credentials stay out of findings: see `redactUrl`). */
  url: string;
  /** For VCS: the revision after `@` in the URL or the lock's `rev`, when any. */
  revision?: string;
  /** True when the code is fixed: a full commit hash for VCS, a content hash for an archive. */
  immutable: boolean;
}

/**
 * One library a manifest declares, whatever the manifest kind. Parsers fill
 * what their format says; checks and components are derived from it.
 */
export interface DeclaredDependency {
  /** Name as written. */
  name: string;
  /** Version specifier as written (`>=2.1,<3`, `^1.2` for Poetry, `*`), or absent for any version. */
  specifier?: string;
  /** The exact version when the specifier pins one (`==2.1.0`, `===2.1.0`, a lock entry). */
  version?: string;
  /** Extras requested (`transformers[torch]`). */
  extras: string[];
  /** Environment marker (`python_version < "3.11"`), as written. */
  marker?: string;
  /** Direct URL, VCS or path reference instead of an index lookup. */
  direct?: DirectReference;
  /** Hashes pinned for it (`--hash=sha256:…`, lock hashes). */
  hashes: string[];
  /** 1-based line of the declaration (in the cell, when `cell` is set). */
  line: number;
  /** Notebook cell index, for notebook installs and imports. */
  cell?: number;
  /** Which ecosystem installs it: PyPI (pip, Poetry, uv) or a conda channel. */
  ecosystem: "pypi" | "conda";
  /** Optional group or extra it belongs to (`dev`, `test`), when the manifest says. */
  group?: string;
}

/** A package index or source a manifest adds or substitutes. */
export interface IndexDirective {
  /** `index-url` replaces PyPI; `extra-index-url` is searched as well as PyPI; `find-links` adds a page of links; `trusted-host` turns off TLS checks. */
  kind: "index-url" | "extra-index-url" | "find-links" | "trusted-host";
  /** URL or host as written. */
  value: string;
  line: number;
  /** Notebook cell index, for notebook installs. */
  cell?: number;
}

/** An include (`-r`, `-c`) of another requirements file. */
export interface IncludeDirective {
  kind: "requirement" | "constraint";
  path: string;
  line: number;
  /** Notebook cell index, for notebook installs. */
  cell?: number;
}

/** Something a parser could not read. */
export interface ManifestProblem {
  line?: number;
  /** Notebook cell index, for notebook installs. */
  cell?: number;
  message: string;
}

/** What a manifest parser returns: never throws on bad input. */
export interface ParsedManifest {
  dependencies: DeclaredDependency[];
  indexes: IndexDirective[];
  includes: IncludeDirective[];
  problems: ManifestProblem[];
  /** True for a lock file (exact resolved versions, by construction pinned). */
  lock: boolean;
}

export function emptyManifest(lock = false): ParsedManifest {
  return { dependencies: [], indexes: [], includes: [], problems: [], lock };
}
