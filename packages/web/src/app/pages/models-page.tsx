import type { Model, PlatformSeverity } from "@modelward/client";
import { hrefOf } from "../route.js";
import type { PageProps } from "../app.js";
import { StatusBadge, VerdictBadge } from "../components/badges.js";
import { Problem, useSignOutOn401 } from "../components/problem.js";
import { usePageTitle } from "../components/page-title.js";
import { useLoad } from "../components/use-load.js";
import { dateText, sourceSummary, VERDICTS } from "../present.js";
import { RegisterModelForm } from "./register-model-form.js";

/** The model registry: every model with its source, latest verdict and when it was last scanned; filtered by verdict. */
export function ModelsPage({ client, onUnauthorized, severity }: PageProps & { severity?: PlatformSeverity | undefined }) {
  usePageTitle(severity ? `Models: ${severity}` : "Models");
  const models = useLoad(() => client.listModels({ ...(severity ? { severity } : {}), limit: 500 }), [client, severity]);
  useSignOutOn401(onUnauthorized, models.error);
  return (
    <>
      <h1>Model registry</h1>
      <div class="toolbar">
        <label for="verdict-filter">Latest verdict</label>
        <select
          id="verdict-filter"
          value={severity ?? ""}
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value as PlatformSeverity | "";
            location.hash = hrefOf(v ? { page: "models", severity: v } : { page: "models" });
          }}
        >
          <option value="">All models</option>
          {VERDICTS.map((v) => (
            <option value={v} key={v}>
              {v}
            </option>
          ))}
        </select>
        <button type="button" onClick={models.reload}>
          Refresh
        </button>
      </div>
      {models.error ? <Problem error={models.error} what="load the models" /> : null}
      {models.loading && !models.data ? <p role="status">Loading…</p> : null}
      {models.data ? <ModelTable models={models.data} filtered={!!severity} /> : null}
      <RegisterModelForm client={client} onUnauthorized={onUnauthorized} />
    </>
  );
}

function ModelTable({ models, filtered }: { models: Model[]; filtered: boolean }) {
  if (!models.length) return <p>{filtered ? "No model has this latest verdict." : "No model is registered yet: register one below."}</p>;
  return (
    <div class="table-wrap">
      <table class="models">
        <caption>
          {models.length} model{models.length === 1 ? "" : "s"}
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Source</th>
            <th scope="col">Latest verdict</th>
            <th scope="col">Last scanned</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id} data-model={m.name}>
              <th scope="row" data-label="Model">
                <a href={hrefOf({ page: "model", modelId: m.id })}>{m.name}</a>
              </th>
              <td data-label="Source">{sourceSummary(m)}</td>
              <td data-label="Latest verdict">
                {m.latest_scan?.severity ? (
                  <a href={hrefOf({ page: "scan", scanId: m.latest_scan.scan_id })} aria-label={`${m.latest_scan.severity}: open the latest scan of ${m.name}`}>
                    <VerdictBadge verdict={m.latest_scan.severity} />
                  </a>
                ) : m.latest_scan ? (
                  <StatusBadge status={m.latest_scan.status} />
                ) : (
                  <span class="muted">Not scanned</span>
                )}
              </td>
              <td data-label="Last scanned">{dateText(m.latest_scan?.finished_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
