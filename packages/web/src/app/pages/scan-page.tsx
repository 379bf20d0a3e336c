import type { FileScanResult, FileScanStatus, FileSecurityReport, ModelwardClient, ReportFormat } from "@modelward/client";
import type { Finding, ScanReport } from "@modelward/core";
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app.js";
import { SeverityBadge, StatusBadge, VerdictBadge } from "../components/badges.js";
import { downloadReport } from "../components/download.js";
import { Problem, useSignOutOn401 } from "../components/problem.js";
import { usePageTitle } from "../components/page-title.js";
import { useLoad } from "../components/use-load.js";
import { dateText, filesByVerdict, locationText, renderedCode, sizeText, sortFindings, taxonomyLink } from "../present.js";
import { hrefOf } from "../route.js";

interface ScanDetails {
  status: FileScanStatus;
  result?: FileScanResult;
  /** The full report (`?format=json`): the findings with their rule, taxonomy, evidence and location. */
  report?: ScanReport;
}

async function loadScan(client: ModelwardClient, scanId: string): Promise<ScanDetails> {
  const status = await client.getFileScan(scanId);
  if (status.status !== "succeeded") return { status };
  const [result, reportText] = await Promise.all([client.getFileScanResult(scanId), client.getFileScanReport(scanId, "json")]);
  return { status, result, report: JSON.parse(reportText) as ScanReport };
}

/** A scan: verdict and score, files grouped by verdict, each file's unsafe dependencies and findings; the report downloads. */
export function ScanPage({ client, onUnauthorized, scanId }: PageProps & { scanId: string }) {
  const scan = useLoad(() => loadScan(client, scanId), [client, scanId]);
  usePageTitle(`Scan ${scanId}${scan.data?.status.severity ? `: ${scan.data.status.severity}` : ""}`);
  const [downloadError, setDownloadError] = useState<unknown>();
  useSignOutOn401(onUnauthorized, scan.error, downloadError);

  // Not finished yet: look again every second.
  const status = scan.data?.status.status;
  useEffect(() => {
    if (status !== "queued" && status !== "running") return;
    const t = setTimeout(scan.reload, 1000);
    return () => clearTimeout(t);
  }, [scan.data]);

  const download = (format: ReportFormat) => {
    setDownloadError(undefined);
    downloadReport(client, scanId, format).catch(setDownloadError);
  };
  const s = scan.data?.status;
  return (
    <>
      <p class="crumbs">
        <a href="#/models">Models</a> / {s ? <a href={hrefOf({ page: "model", modelId: s.model_id })}>Model</a> : "Model"} /
      </p>
      <h1>
        Scan <code>{scanId}</code>
      </h1>
      {scan.error ? <Problem error={scan.error} what="load the scan" /> : null}
      {s ? (
        <section class="panel summary" aria-label="Summary">
          <p class="verdict-line">
            {s.severity ? <VerdictBadge verdict={s.severity} score={s.score} /> : <StatusBadge status={s.status} />}
            {s.error ? <span> {s.error}</span> : null}
          </p>
          <dl class="facts">
            <div>
              <dt>Status</dt>
              <dd>{s.status}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{dateText(s.started_at)}</dd>
            </div>
            <div>
              <dt>Finished</dt>
              <dd>{dateText(s.finished_at)}</dd>
            </div>
            {scan.data?.result ? (
              <>
                <div>
                  <dt>Files</dt>
                  <dd>
                    {scan.data.result.summary.files.scanned} scanned, {scan.data.result.summary.files.incomplete} incomplete, {scan.data.result.summary.files.skipped} skipped
                  </dd>
                </div>
                <div>
                  <dt>Findings</dt>
                  <dd>{scan.data.result.summary.findings}</dd>
                </div>
              </>
            ) : null}
          </dl>
          {s.status === "succeeded" ? (
            <div class="toolbar" role="group" aria-label="Download the report">
              <span>Download:</span>
              <button type="button" onClick={() => download("json")}>
                JSON
              </button>
              <button type="button" onClick={() => download("sarif")}>
                SARIF
              </button>
              <button type="button" onClick={() => download("cyclonedx")}>
                CycloneDX
              </button>
            </div>
          ) : (
            <p role="status">{s.status === "queued" || s.status === "running" ? "The scan is not finished; this page updates by itself." : "This scan has no result."}</p>
          )}
          {downloadError ? <Problem error={downloadError} what="download the report" /> : null}
        </section>
      ) : scan.loading ? (
        <p role="status">Loading…</p>
      ) : null}
      {scan.data?.result && scan.data.report ? <FilesByVerdict result={scan.data.result} report={scan.data.report} /> : null}
    </>
  );
}

function FilesByVerdict({ result, report }: { result: FileScanResult; report: ScanReport }) {
  const groups = filesByVerdict(result);
  if (!groups.length) return <p>No file was found to scan.</p>;
  return (
    <>
      {groups.map(([verdict, files]) => (
        <section key={verdict} aria-labelledby={`group-${verdict}`} class={`group group-${verdict.toLowerCase()}`}>
          <h2 id={`group-${verdict}`}>
            <VerdictBadge verdict={verdict} /> {files.length} file{files.length === 1 ? "" : "s"}
          </h2>
          {files.map((f) => (
            <FileSection key={f.file} file={f} findings={report.files.filter((r) => r.path === f.file).flatMap((r) => r.findings)} />
          ))}
        </section>
      ))}
    </>
  );
}

// A file can carry thousands of findings (a flood is itself reported): the first ones, then the rest on demand.
const FIRST_FINDINGS = 100;

function FileSection({ file, findings }: { file: FileSecurityReport; findings: Finding[] }) {
  const [all, setAll] = useState(false);
  const sorted = sortFindings(findings);
  const shown = all ? sorted : sorted.slice(0, FIRST_FINDINGS);
  return (
    <article class="file panel" data-file={file.file}>
      <h3>
        <code>{file.file}</code>
      </h3>
      <p class="muted">
        {file.format ?? "unknown format"} · {sizeText(file.size)} · {file.status}
        {file.skip_reason ? ` (${file.skip_reason})` : ""}
      </p>
      {file.incomplete?.length ? (
        <ul class="incomplete" aria-label="Not fully analysed">
          {file.incomplete.map((r) => (
            <li key={r}>Incomplete: {r}</li>
          ))}
        </ul>
      ) : null}
      {file.unsafe_dependencies.length ? (
        <div class="table-wrap">
          <table>
            <caption>Unsafe dependencies</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Safety</th>
                <th scope="col">Severity</th>
              </tr>
            </thead>
            <tbody>
              {file.unsafe_dependencies.map((d) => (
                <tr key={`${d.kind} ${d.name}`}>
                  <th scope="row" data-label="Name">
                    <code>{d.name}</code>
                    {d.members?.length ? <span class="muted"> in {d.members.join(" ▸ ")}</span> : null}
                  </th>
                  <td data-label="Kind">{d.kind}</td>
                  <td data-label="Safety">{d.safety}</td>
                  <td data-label="Severity">
                    <SeverityBadge severity={d.severity} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {findings.length ? (
        <>
          <h4>
            {findings.length} finding{findings.length === 1 ? "" : "s"}
          </h4>
          <ul class="findings">
            {shown.map((f) => (
              <li key={f.fingerprint}>
                <FindingView finding={f} />
              </li>
            ))}
          </ul>
          {shown.length < sorted.length ? (
            <button type="button" onClick={() => setAll(true)}>
              Show all {sorted.length} findings
            </button>
          ) : null}
        </>
      ) : (
        <p>No findings.</p>
      )}
    </article>
  );
}

/** One finding, opened on demand (a native details element: keyboard and screen readers know it). */
function FindingView({ finding: f }: { finding: Finding }) {
  const code = renderedCode(f);
  const ids = [...(f.taxonomy.cwe ?? []), ...(f.taxonomy.atlas ?? []), ...(f.taxonomy.owasp ?? [])];
  return (
    <details class="finding" data-rule={f.ruleId}>
      <summary>
        <SeverityBadge severity={f.severity} /> <code class="rule">{f.ruleId}</code> <span class="message">{f.message}</span>
      </summary>
      <dl class="facts">
        <div>
          <dt>Rule</dt>
          <dd>
            <code>{f.ruleId}</code> ({f.category}, {f.confidence} confidence)
          </dd>
        </div>
        <div>
          <dt>Severity</dt>
          <dd>{f.severity}</dd>
        </div>
        {code ? (
          <div>
            <dt>Call / op</dt>
            <dd>
              <pre class="code">{code}</pre>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Location</dt>
          <dd>{locationText(f.location)}</dd>
        </div>
        {ids.length ? (
          <div>
            <dt>Classification</dt>
            <dd>
              <ul class="inline">
                {ids.map((id) => {
                  const link = taxonomyLink(id);
                  return (
                    <li key={id}>
                      {link.href ? (
                        <a href={link.href} target="_blank" rel="noopener noreferrer">
                          {link.label}
                        </a>
                      ) : (
                        link.label
                      )}
                    </li>
                  );
                })}
              </ul>
            </dd>
          </div>
        ) : null}
        {Object.keys(f.evidence).length ? (
          <div>
            <dt>Evidence</dt>
            <dd>
              <ul class="evidence">
                {Object.entries(f.evidence).map(([k, v]) => (
                  <li key={k}>
                    {k}: <code>{String(v)}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
        {f.suppression ? (
          <div>
            <dt>Suppressed</dt>
            <dd>{f.suppression.justification ?? f.suppression.kind}</dd>
          </div>
        ) : null}
        {f.occurrences > 1 ? (
          <div>
            <dt>Occurrences</dt>
            <dd>{f.occurrences}</dd>
          </div>
        ) : null}
      </dl>
    </details>
  );
}
