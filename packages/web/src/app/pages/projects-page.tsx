import type { PageProps } from "../app.js";
import { Problem, useSignOutOn401 } from "../components/problem.js";
import { usePageTitle } from "../components/page-title.js";
import { useLoad } from "../components/use-load.js";
import { dateText } from "../present.js";

/** The projects the key may act on (a key belongs to one project). */
export function ProjectsPage({ client, onUnauthorized }: PageProps) {
  usePageTitle("Projects");
  const projects = useLoad(() => client.listProjects(), [client]);
  useSignOutOn401(onUnauthorized, projects.error);
  return (
    <>
      <h1>Projects</h1>
      {projects.error ? <Problem error={projects.error} what="load the projects" /> : null}
      {projects.loading && !projects.data ? <p role="status">Loading…</p> : null}
      {projects.data ? (
        <div class="table-wrap">
          <table>
            <caption>Projects of this API key</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {projects.data.map((p) => (
                <tr key={p.id}>
                  <th scope="row" data-label="Name">
                    <a href="#/models">{p.name}</a>
                  </th>
                  <td data-label="Id">
                    <code>{p.id}</code>
                  </td>
                  <td data-label="Created">{dateText(p.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
