import type { FileScanStatus, ModelwardClient } from "@modelward/client";
import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app.js";
import { StatusBadge, VerdictBadge } from "../components/badges.js";
import { Problem, useSignOutOn401 } from "../components/problem.js";
import { usePageTitle } from "../components/page-title.js";
import { useLoad } from "../components/use-load.js";
import { dateText, sizeText, sourceRows } from "../present.js";
import { hrefOf } from "../route.js";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** A model: its source parameters, its files, its scan history, and a new scan followed live. */
export function ModelPage({ client, onUnauthorized, modelId }: PageProps & { modelId: string }) {
  const model = useLoad(() => client.getModel(modelId), [client, modelId]);
  const scans = useLoad(() => client.listModelFileScans(modelId), [client, modelId]);
  const files = useLoad(() => (model.data?.repo_type === "file" ? client.listModelFiles(modelId) : Promise.resolve(undefined)), [client, modelId, model.data?.repo_type]);
  const integration = useLoad(
    () => (model.data?.integration_id ? client.listIntegrations().then((all) => all.find((i) => i.id === model.data?.integration_id)) : Promise.resolve(undefined)),
    [client, model.data?.integration_id],
  );
  const [startError, setStartError] = useState<unknown>();
  const [starting, setStarting] = useState(false);
  usePageTitle(model.data ? model.data.name : "Model");
  useSignOutOn401(onUnauthorized, model.error, scans.error, startError);

  // While a scan of this model is queued or running, follow it (the history shows it live).
  const active = scans.data?.find((s) => !FINISHED.has(s.status));
  const live = useLiveScan(client, active?.id, () => {
    scans.reload();
    files.reload();
  });

  const start = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      await client.startFileScan({ modelId });
      scans.reload();
    } catch (err) {
      setStartError(err);
    } finally {
      setStarting(false);
    }
  };

  return (
    <>
      <p class="crumbs">
        <a href="#/models">Models</a> /
      </p>
      <h1>{model.data?.name ?? "Model"}</h1>
      {model.error ? <Problem error={model.error} what="load the model" /> : null}
      {model.data ? (
        <section aria-labelledby="source-heading" class="panel">
          <h2 id="source-heading">Source</h2>
          <dl class="facts">
            {sourceRows(model.data).map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
            <div>
              <dt>Integration</dt>
              <dd>{model.data.integration_id ? (integration.data ? `${integration.data.name} (${integration.data.kind}, secret stored on the server)` : model.data.integration_id) : "None"}</dd>
            </div>
            <div>
              <dt>Registered</dt>
              <dd>{dateText(model.data.created_at)}</dd>
            </div>
          </dl>
          {files.data ? (
            <>
              <h3>Files</h3>
              {files.data.length ? (
                <ul class="files">
                  {files.data.map((f) => (
                    <li key={f.path}>
                      <code>{f.path}</code> <span class="muted">{sizeText(f.size)}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="muted">No uploaded file is kept (files are deleted after a succeeded scan unless the server retains them).</p>
              )}
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="scans-heading" class="panel">
        <h2 id="scans-heading">Scans</h2>
        <div class="toolbar">
          <button type="button" onClick={start} disabled={starting || !!active || !model.data}>
            {starting ? "Starting…" : "Start a scan"}
          </button>
        </div>
        {startError ? <Problem error={startError} what="start a scan" /> : null}
        <div role="status" aria-live="polite" class="live">
          {live ? <LiveStatus scan={live} /> : null}
        </div>
        {scans.error ? <Problem error={scans.error} what="load the scans" /> : null}
        {scans.data && !scans.data.length ? <p>No scan yet.</p> : null}
        {scans.data?.length ? <ScanHistory scans={scans.data} /> : null}
      </section>
    </>
  );
}

/** Polls a running scan every second until it finishes, then calls `onFinished` once. */
function useLiveScan(client: ModelwardClient, scanId: string | undefined, onFinished: () => void): FileScanStatus | undefined {
  const [status, setStatus] = useState<FileScanStatus>();
  useEffect(() => {
    if (!scanId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const s = await client.getFileScan(scanId);
        if (stopped) return;
        setStatus(s);
        if (FINISHED.has(s.status)) {
          onFinished();
          return;
        }
      } catch {
        // A failed poll is retried; the history still shows the last known state.
      }
      if (!stopped) timer = setTimeout(poll, 1000);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, scanId]);
  return status;
}

function LiveStatus({ scan }: { scan: FileScanStatus }) {
  const p = scan.progress;
  return (
    <p data-live-status={scan.status}>
      Scan <a href={hrefOf({ page: "scan", scanId: scan.id })}>{scan.id}</a>: <StatusBadge status={scan.status} />
      {scan.status === "running" && p ? ` ${p.files_done} of ${p.files_found} files${p.current ? `, now ${p.current}` : ""}` : ""}
      {scan.severity ? (
        <>
          {" "}
          <VerdictBadge verdict={scan.severity} score={scan.score} />
        </>
      ) : null}
      {scan.error ? ` (${scan.error})` : ""}
    </p>
  );
}

function ScanHistory({ scans }: { scans: FileScanStatus[] }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>Scan history, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Scan</th>
            <th scope="col">Status</th>
            <th scope="col">Verdict</th>
            <th scope="col">Started</th>
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {scans.map((s) => (
            <tr key={s.id} data-scan={s.id}>
              <th scope="row" data-label="Scan">
                <a href={hrefOf({ page: "scan", scanId: s.id })}>
                  <code>{s.id}</code>
                </a>
              </th>
              <td data-label="Status">
                <StatusBadge status={s.status} />
                {s.error ? <span class="muted"> {s.error}</span> : null}
              </td>
              <td data-label="Verdict">{s.severity ? <VerdictBadge verdict={s.severity} score={s.score} /> : "—"}</td>
              <td data-label="Started">{dateText(s.started_at ?? s.created_at)}</td>
              <td data-label="Finished">{dateText(s.finished_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
