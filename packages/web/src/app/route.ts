import type { PlatformSeverity } from "@modelward/client";

/** A page of the console, as the URL's hash names it (`#/models/<id>`): hash routes need no server-side fallback. */
export type Route =
  | { page: "sign-in" }
  | { page: "projects" }
  | { page: "models"; severity?: PlatformSeverity }
  | { page: "model"; modelId: string }
  | { page: "scan"; scanId: string }
  | { page: "not-found"; path: string };

const SEVERITIES: readonly string[] = ["Alert", "Warning", "Pass"];

/** Reads a route from `location.hash`; an empty hash is the registry, anything unknown is `not-found`. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, "") || "/models";
  const [path = "", queryText = ""] = raw.split("?", 2);
  const query = new URLSearchParams(queryText);
  const parts = path.split("/").filter(Boolean);
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return { page: "not-found", path };
  }
  const [first, second, ...rest] = decoded;
  if (first === "sign-in" && !second) return { page: "sign-in" };
  if (first === "projects" && !second) return { page: "projects" };
  if (first === "models" && !second) {
    const severity = query.get("severity");
    return severity && SEVERITIES.includes(severity) ? { page: "models", severity: severity as PlatformSeverity } : { page: "models" };
  }
  if (first === "models" && second && !rest.length) return { page: "model", modelId: second };
  if (first === "scans" && second && !rest.length) return { page: "scan", scanId: second };
  return { page: "not-found", path };
}

/** The `href` of a route (the inverse of {@link parseRoute}). */
export function hrefOf(route: Route): string {
  const seg = encodeURIComponent;
  switch (route.page) {
    case "sign-in":
      return "#/sign-in";
    case "projects":
      return "#/projects";
    case "models":
      return route.severity ? `#/models?severity=${route.severity}` : "#/models";
    case "model":
      return `#/models/${seg(route.modelId)}`;
    case "scan":
      return `#/scans/${seg(route.scanId)}`;
    case "not-found":
      return `#${route.path}`;
  }
}

/** Goes to a route (a hash change: the browser's history and back button work). */
export function navigate(route: Route): void {
  location.hash = hrefOf(route);
}
