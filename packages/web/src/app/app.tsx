import type { ModelwardClient } from "@modelward/client";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ModelPage } from "./pages/model-page.js";
import { ModelsPage } from "./pages/models-page.js";
import { ProjectsPage } from "./pages/projects-page.js";
import { ScanPage } from "./pages/scan-page.js";
import { SignInPage } from "./pages/sign-in-page.js";
import { navigate, parseRoute, type Route } from "./route.js";
import { clientFor, forgetApiKey, storeApiKey, storedApiKey } from "./session.js";

/** What every signed-in page gets. */
export interface PageProps {
  client: ModelwardClient;
  /** Called when the API refuses the key (revoked): back to sign-in. */
  onUnauthorized: () => void;
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

/** The console: sign-in, then the pages of the key's project; focus moves to the new page's heading. */
export function App() {
  const route = useRoute();
  const [apiKey, setApiKey] = useState(storedApiKey);
  const [notice, setNotice] = useState<string>();
  const client = useMemo(() => (apiKey ? clientFor(apiKey) : undefined), [apiKey]);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    // A new page: move keyboard and screen-reader focus to its heading.
    const heading = main.current?.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }, [route, apiKey]);

  const signOut = (message?: string) => {
    forgetApiKey();
    setApiKey(undefined);
    setNotice(message);
    navigate({ page: "sign-in" });
  };

  if (!client || route.page === "sign-in") {
    return (
      <Shell signedIn={false} main={main}>
        <SignInPage
          notice={notice}
          onSignedIn={(key) => {
            storeApiKey(key);
            setApiKey(key);
            setNotice(undefined);
            navigate({ page: "models" });
          }}
        />
      </Shell>
    );
  }
  const props: PageProps = { client, onUnauthorized: () => signOut("The API key was refused; sign in again.") };
  return (
    <Shell signedIn main={main} route={route} onSignOut={() => signOut("Signed out.")}>
      {route.page === "projects" ? (
        <ProjectsPage {...props} />
      ) : route.page === "models" ? (
        <ModelsPage {...props} severity={route.severity} />
      ) : route.page === "model" ? (
        <ModelPage {...props} modelId={route.modelId} />
      ) : route.page === "scan" ? (
        <ScanPage {...props} scanId={route.scanId} />
      ) : (
        <NotFound path={route.path} />
      )}
    </Shell>
  );
}

function Shell(p: { signedIn: boolean; main: { current: HTMLElement | null }; route?: Route; onSignOut?: () => void; children: preact.ComponentChildren }) {
  const current = (page: Route["page"]) => (p.route?.page === page || (page === "models" && p.route?.page === "model") ? "page" : undefined);
  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), p.main.current?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={p.signedIn ? "#/models" : "#/sign-in"}>
          <img src="icon.svg" alt="" width={24} height={24} /> Modelward
        </a>
        {p.signedIn ? (
          <nav aria-label="Main">
            <ul>
              <li>
                <a href="#/projects" aria-current={current("projects")}>
                  Projects
                </a>
              </li>
              <li>
                <a href="#/models" aria-current={current("models")}>
                  Models
                </a>
              </li>
              <li>
                <button type="button" class="link" onClick={p.onSignOut}>
                  Sign out
                </button>
              </li>
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" ref={p.main} tabIndex={-1}>
        {p.children}
      </main>
    </>
  );
}

function NotFound({ path }: { path: string }) {
  useEffect(() => {
    document.title = "Not found · Modelward";
  }, []);
  return (
    <>
      <h1>Page not found</h1>
      <p>
        No page at <code>{path}</code>. Go to the <a href="#/models">model registry</a>.
      </p>
    </>
  );
}
