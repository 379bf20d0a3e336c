export { FAKE_CREDENTIALS as FAKE, githubToken } from "@modelward/testing";

export const utf8 = (s: string) => new TextEncoder().encode(s);
