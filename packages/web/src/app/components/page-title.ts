import { useEffect } from "preact/hooks";

/** Sets the tab's title: `<title> · Modelward`. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Modelward`;
  }, [title]);
}
