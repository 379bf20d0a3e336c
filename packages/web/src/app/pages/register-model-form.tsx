import type { ModelwardClient, RegisterModelInput, RepoType } from "@modelward/client";
import { useState } from "preact/hooks";
import { navigate } from "../route.js";
import { Problem, useSignOutOn401 } from "../components/problem.js";
import { useLoad } from "../components/use-load.js";
import { uploadPath } from "../present.js";

const TYPES: { value: RepoType; label: string }[] = [
  { value: "file", label: "Files from this computer" },
  { value: "huggingface", label: "Hugging Face" },
  { value: "github", label: "Git repository" },
  { value: "s3_bucket", label: "S3 bucket" },
];

/**
 * Registers a model: uploaded files (a folder or single files, sent one by one with the API's
 * streamed upload) or a remote source in the platform's parameters, with an integration for
 * private ones (chosen by name: its secret never comes back from the API).
 */
export function RegisterModelForm({ client, onUnauthorized }: { client: ModelwardClient; onUnauthorized: () => void }) {
  const [type, setType] = useState<RepoType>("file");
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const integrations = useLoad(() => (type === "file" ? Promise.resolve([]) : client.listIntegrations()), [client, type]);
  useSignOutOn401(onUnauthorized, error, integrations.error);

  const pick = (e: Event) => setFiles([...((e.target as HTMLInputElement).files ?? [])]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(form.get(k) ?? "").trim() || undefined;
    const input: RegisterModelInput = { name: text("name") ?? "", repo_type: type };
    if (type === "file" && !files.length) {
      setError(new Error("choose a folder or files to upload"));
      return;
    }
    for (const k of ["model_id", "revision", "repo_url", "branch_name", "bucket_name", "region", "prefix", "integration_id"] as const) {
      const v = text(k);
      if (v) input[k] = v;
    }
    const depth = text("depth");
    if (depth) input.depth = Number(depth);
    setBusy(true);
    setError(undefined);
    try {
      const model = await client.registerModel(input);
      for (const [i, f] of files.entries()) {
        setProgress(`Uploading ${i + 1} of ${files.length}: ${uploadPath(f)}`);
        await client.uploadModelFile(model.id, uploadPath(f), f);
      }
      setProgress(undefined);
      navigate({ page: "model", modelId: model.id });
    } catch (err) {
      setError(err);
      setProgress(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="register-heading" class="panel">
      <h2 id="register-heading">Register a model</h2>
      <form onSubmit={submit} class="stack">
        <label for="model-name">Name</label>
        <input id="model-name" name="name" required maxLength={200} autoComplete="off" />
        <fieldset>
          <legend>Source</legend>
          {TYPES.map((t) => (
            <label class="choice" key={t.value}>
              <input type="radio" name="repo_type" value={t.value} checked={type === t.value} onChange={() => setType(t.value)} /> {t.label}
            </label>
          ))}
        </fieldset>
        {type === "file" ? (
          <>
            <label for="model-folder">A folder</label>
            <input id="model-folder" type="file" {...{ webkitdirectory: true }} multiple onChange={pick} aria-describedby="files-hint" />
            <label for="model-files">or files</label>
            <input id="model-files" type="file" multiple onChange={pick} aria-describedby="files-hint" />
            <p id="files-hint" class="hint">
              {files.length ? `${files.length} file${files.length === 1 ? "" : "s"} chosen.` : "Files are uploaded to the server and scanned there, never opened here."}
            </p>
          </>
        ) : null}
        {type === "huggingface" ? (
          <>
            <Field id="model_id" label="Model id (owner/name)" required />
            <Field id="revision" label="Revision" placeholder="main" />
          </>
        ) : null}
        {type === "github" ? (
          <>
            <Field id="repo_url" label="Repository URL" inputMode="url" required />
            <Field id="branch_name" label="Branch" placeholder="main" />
            <label for="depth">Depth (commits)</label>
            <input id="depth" name="depth" type="number" min={1} step={1} placeholder="1" />
          </>
        ) : null}
        {type === "s3_bucket" ? (
          <>
            <Field id="bucket_name" label="Bucket" required />
            <Field id="region" label="Region" />
            <Field id="prefix" label="Prefix" />
          </>
        ) : null}
        {type !== "file" ? (
          <>
            <label for="integration_id">Integration (for a private source)</label>
            <select id="integration_id" name="integration_id">
              <option value="">None</option>
              {(integrations.data ?? []).map((i) => (
                <option value={i.id} key={i.id}>
                  {i.name} ({i.kind})
                </option>
              ))}
            </select>
          </>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? "Registering…" : "Register"}
        </button>
        <p role="status" class="hint">
          {progress ?? ""}
        </p>
      </form>
      {error ? <Problem error={error} what="register the model" /> : null}
    </section>
  );
}

function Field(p: { id: string; label: string; inputMode?: "url"; required?: boolean; placeholder?: string }) {
  return (
    <>
      <label for={p.id}>{p.label}</label>
      <input id={p.id} name={p.id} type="text" inputMode={p.inputMode} required={p.required} placeholder={p.placeholder} autoComplete="off" spellcheck={false} />
    </>
  );
}
