import { useState } from "preact/hooks";
import { Problem } from "../components/problem.js";
import { usePageTitle } from "../components/page-title.js";
import { clientFor } from "../session.js";

/** Sign-in with an API key (`modelward serve keys create`): checked against the API before it is kept. */
export function SignInPage({ onSignedIn, notice }: { onSignedIn: (key: string) => void; notice?: string | undefined }) {
  usePageTitle("Sign in");
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError(new Error("enter an API key"));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await clientFor(trimmed).listProjects();
      onSignedIn(trimmed);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="narrow">
      <h1>Sign in</h1>
      {notice ? <p role="status">{notice}</p> : null}
      <p>
        Use an API key of your project (<code>modelward serve keys create --project &lt;name&gt;</code>). It is kept in this tab only and sent to this
        server alone.
      </p>
      <form onSubmit={submit} class="stack">
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          aria-describedby={error ? "sign-in-error" : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {error ? (
        <div id="sign-in-error">
          <Problem error={error} what="sign in" />
        </div>
      ) : null}
    </section>
  );
}
