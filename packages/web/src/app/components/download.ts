import type { ModelwardClient, ReportFormat } from "@modelward/client";

const EXTENSION: Record<ReportFormat, string> = { json: "json", sarif: "sarif", cyclonedx: "cdx.json" };
const TYPE: Record<ReportFormat, string> = { json: "application/json", sarif: "application/sarif+json", cyclonedx: "application/vnd.cyclonedx+json" };

/**
 * Downloads a scan's full report. The API needs the key in a header, so a plain link cannot
 * fetch it: the page fetches the text and hands the browser a local blob: URL to save.
 */
export async function downloadReport(client: ModelwardClient, scanId: string, format: ReportFormat): Promise<void> {
  const text = await client.getFileScanReport(scanId, format);
  const url = URL.createObjectURL(new Blob([text], { type: TYPE[format] }));
  try {
    const a = document.createElement("a");
    a.href = url;
    a.download = `modelward-scan-${scanId}.${EXTENSION[format]}`;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // The download has started from the click; give the browser a moment before the URL goes.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
