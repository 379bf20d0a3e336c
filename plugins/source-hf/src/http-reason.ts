/** An honest sentence for an HTTP status. */
export function httpReason(status: number, what: string): string {
  if (status === 401) return `${what} was refused (401): the repository is private or does not exist; give a token with --hf-token or HF_TOKEN`;
  if (status === 403) return `${what} was refused (403): the repository is gated or the token lacks access; request access on the Hub`;
  if (status === 404) return `${what} found nothing (404): the repository, revision or file does not exist`;
  if (status === 429) return `${what} was rate limited (429) after retries`;
  return `${what} failed with HTTP ${status}`;
}
