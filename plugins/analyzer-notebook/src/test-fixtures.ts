import { randomFrom } from "@modelward/testing";

export { FAKE_CREDENTIALS as FAKE, githubToken } from "@modelward/testing";

export const utf8 = (s: string) => new TextEncoder().encode(s);

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Fake, well-formed values of the credential kinds this plugin's own rules add (built at run time, none real). */
export const MORE_FAKES = {
  facebookSecret: () => randomFrom("0123456789abcdef", 32, 41),
  facebookToken: () => "EA" + "AB" + randomFrom(ALNUM, 180, 42),
  facebookAppToken: () => randomFrom("123456789", 15, 43) + "|" + randomFrom(ALNUM + "_-", 27, 44),
  linkedinClientId: () => "86" + randomFrom(LOWER_ALNUM, 12, 45),
  linkedinSecret: () => randomFrom(ALNUM, 16, 46),
  googleOauthSecret: () => "GOC" + "SPX-" + randomFrom(ALNUM + "_-", 28, 47),
  googleAccessToken: () => "ya" + "29." + randomFrom(ALNUM + "_-", 120, 48),
  /** The Azure Storage emulator's key from Microsoft's documentation (public, in two halves so the literal is not whole). */
  azureEmulatorKey: () => "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6" + "tq/K1SZFPTOtr/KBHBeksoGMGw==",
};
