import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pickle } from "@modelward/testing";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, startCli, type ServeProcess } from "./service-harness.js";

// The web console in a real browser: Debian's chromium, headless, driven by playwright-core
// (no browser download), against a real `modelward serve` on the embedded store. Screenshots
// of every page go to test/e2e/.artifacts/web-console (gitignored).

const CHROMIUM = process.env.MODELWARD_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../.artifacts/web-console/", import.meta.url));
const malicious = pickle().proto(4).callStr("os", "system", "echo modelward test payload").stop().toBytes();
const benign = pickle().proto(4).emptyDict().shortBinUnicode("epoch").binInt(3).setItem().stop().toBytes();

let dir: string;
let serve: ServeProcess;
let apiKey: string;
let browser: Browser;
let page: Page;
const consoleProblems: string[] = [];
const foreignRequests: string[] = [];

/** A folder as a user would pick it: nested files, one of them a model. */
function modelFolder(name: string, model: Uint8Array): string {
  const root = join(dir, name);
  mkdirSync(join(root, "weights"), { recursive: true });
  writeFileSync(join(root, "weights", "pytorch_model.bin"), model);
  writeFileSync(join(root, "config.json"), JSON.stringify({ model_type: "bert", hidden_size: 8 }));
  return root;
}

/** A screenshot of the page as a test artifact, and its text checked for WCAG AA contrast. */
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  expect(await lowContrastTexts(page), `text under 4.5:1 contrast on ${name}`).toEqual([]);
}

/**
 * WCAG 2 contrast of every visible text element on the page against the background it is
 * drawn on (the nearest ancestor with an opaque background): the pairs that fall under 4.5:1.
 */
function lowContrastTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const ch = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * ch(r!) + 0.7152 * ch(g!) + 0.0722 * ch(b!);
    };
    const background = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor);
        if (c.length >= 3 && (c.length === 3 || c[3]! > 0.99)) return c;
      }
      return [255, 255, 255];
    };
    const low: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || !el.getClientRects().length) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || el.closest(".skip-link")) continue;
      const a = lum(rgb(style.color));
      const b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) low.push(`${ratio.toFixed(2)} ${el.tagName.toLowerCase()}.${el.className}: ${n.textContent.trim().slice(0, 40)}`);
    }
    return [...new Set(low)];
  });
}

beforeAll(async () => {
  // Like the PostgreSQL suite: a missing system tool is a failure, never a skip (.ci/run installs it).
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set MODELWARD_CHROMIUM`);
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "mw-web-console-"));
  const store = ["--data-dir", join(dir, "data")];
  apiKey = await createKey(dir, store, "demo");
  serve = await startCli(["serve", ...store, "--port", "0"], dir);
  // Chromium's sandbox cannot start as root (CI containers): tests only, never the product.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") consoleProblems.push(m.text());
  });
  page.on("pageerror", (e) => consoleProblems.push(e.message));
  page.on("request", (r) => {
    if (!r.url().startsWith(`${serve.url}/`) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) foreignRequests.push(r.url());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function registerAndScan(name: string, folder: string, expected: "Alert" | "Pass"): Promise<void> {
  await page.goto(`${serve.url}/#/models`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("A folder").setInputFiles(folder);
  await page.getByRole("button", { name: "Register" }).click();
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 30_000 }).toBe(name);
  // The folder's files, relative to it.
  await page.getByText("weights/pytorch_model.bin").waitFor();
  await page.getByText("config.json", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Start a scan" }).click();
  // Live status: the polite live region follows the job until it has finished.
  const live = page.locator("[data-live-status]");
  await live.waitFor({ timeout: 30_000 });
  await page.locator('[data-live-status="succeeded"]').waitFor({ timeout: 120_000 });
  await expect.poll(() => live.locator("[data-verdict]").getAttribute("data-verdict")).toBe(expected);
  await page.locator("tr[data-scan]").first().locator(`[data-verdict="${expected}"]`).waitFor();
}

describe("web console in a real browser (Debian chromium)", () => {
  it("serves the console with a strict CSP and signs in with an API key only", async () => {
    const res = await page.goto(`${serve.url}/`);
    expect(res?.status()).toBe(200);
    const csp = res?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    // Focus starts on the page's heading; the skip link is the first focusable element and, with Enter, moves focus to the content.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    expect(await page.evaluate(() => document.querySelector("a, button, input, select, textarea, summary")?.textContent)).toBe("Skip to content");
    await page.getByRole("link", { name: "Skip to content" }).focus();
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await shot("sign-in");

    await page.getByLabel("API key").fill("mwk_notAKeyNotAKeyNotAKeyNotAKey00");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/401|unknown or revoked/);

    await page.getByLabel("API key").fill(apiKey);
    await page.getByLabel("API key").press("Enter");
    await page.getByRole("heading", { level: 1, name: "Model registry" }).waitFor();
    // The key is kept for this tab only: sessionStorage, no cookie, no localStorage, not in the URL.
    expect(await page.evaluate(() => sessionStorage.getItem("modelward.apiKey"))).toBe(apiKey);
    expect(await page.evaluate(() => document.cookie)).toBe("");
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(page.url()).not.toContain(apiKey);
  });

  it("lists the key's project", async () => {
    await page.goto(`${serve.url}/#/projects`);
    await page.getByRole("link", { name: "demo" }).waitFor();
    await shot("projects");
  });

  it("registers a malicious and a benign model from local folders, scans them live: Alert and Pass", async () => {
    await registerAndScan("evil-bert", modelFolder("evil-bert", malicious), "Alert");
    await shot("model-alert");
    await registerAndScan("good-bert", modelFolder("good-bert", benign), "Pass");
    await shot("model-pass");
  }, 300_000);

  it("shows the registry with the latest verdicts and filters it by verdict", async () => {
    await page.goto(`${serve.url}/#/models`);
    const row = (name: string) => page.locator(`tr[data-model="${name}"]`);
    await row("evil-bert").locator('[data-verdict="Alert"]').waitFor();
    await row("good-bert").locator('[data-verdict="Pass"]').waitFor();
    await expect.poll(() => row("evil-bert").getByRole("cell").nth(0).textContent()).toBe("Uploaded files");
    await shot("registry");
    await page.getByLabel("Latest verdict").selectOption("Alert");
    await expect.poll(() => page.locator("tr[data-model]").count()).toBe(1);
    expect(page.url()).toContain("#/models?severity=Alert");
    await row("evil-bert").waitFor();
    await page.getByLabel("Latest verdict").selectOption("Pass");
    await expect.poll(() => page.locator("tr[data-model]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-model")))).toEqual(["good-bert"]);
    // Phone width: the table reflows into cards and nothing scrolls sideways.
    await page.getByLabel("Latest verdict").selectOption("");
    await page.setViewportSize({ width: 390, height: 844 });
    await row("evil-bert").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot("registry-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("opens the malicious scan: verdict and score, files by verdict, a finding with its rule, call, location and CWE link", async () => {
    await page.goto(`${serve.url}/#/models`);
    await page.locator('tr[data-model="evil-bert"] a[aria-label^="Alert"]').click();
    await page.getByRole("heading", { level: 1, name: /^Scan / }).waitFor();
    await expect.poll(() => page.locator(".verdict-line").textContent()).toBe("Alert · score 3/3");
    const file = page.locator('article[data-file="weights/pytorch_model.bin"]');
    expect(await file.locator("xpath=ancestor::section[1]").getAttribute("aria-labelledby")).toBe("group-Alert");
    expect(await page.locator('article[data-file="config.json"]').count()).toBeLessThanOrEqual(1);
    // The unsafe dependency and its severity.
    const dep = file.getByRole("table", { name: "Unsafe dependencies" }).getByRole("row", { name: /os\.system|posix\.system/ });
    await dep.waitFor();
    expect(await dep.locator(".badge").textContent()).toBe("critical");

    const finding = file.locator("details.finding").filter({ hasText: "system" }).first();
    expect(await finding.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await finding.locator("summary").focus();
    await page.keyboard.press("Enter");
    expect(await finding.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    const rule = (await finding.getAttribute("data-rule")) ?? "";
    expect(rule).toMatch(/^pickle\//);
    await expect.poll(() => finding.locator("pre.code").textContent()).toMatch(/system/);
    await expect.poll(() => finding.getByText(/weights\/pytorch_model\.bin · byte \d+/).count()).toBe(1);
    expect(await finding.getByRole("link", { name: "CWE-502" }).getAttribute("href")).toBe("https://cwe.mitre.org/data/definitions/502.html");
    await shot("scan-alert");

    // Download the SARIF and read it.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "SARIF" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^modelward-scan-.+\.sarif$/);
    const sarif = JSON.parse(readFileSync((await download.path())!, "utf8")) as {
      version: string;
      runs: { tool: { driver: { name: string } }; results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.tool.driver.name.toLowerCase()).toContain("modelward");
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === rule);
    expect(result, `a SARIF result of ${rule}`).toBeDefined();
    expect(result!.level).toBe("error");
    expect(result!.message.text).toMatch(/system/);
    expect(result!.locations[0]!.physicalLocation.artifactLocation.uri).toContain("pytorch_model.bin");
  });

  it("opens the benign scan: Pass, no unsafe dependency", async () => {
    await page.goto(`${serve.url}/#/models?severity=Pass`);
    await page.locator('tr[data-model="good-bert"] a[aria-label^="Pass"]').click();
    await expect.poll(() => page.locator(".verdict-line").textContent()).toBe("Pass · score 1/3");
    expect(await page.locator("#group-Alert").count()).toBe(0);
    expect(await page.getByRole("table", { name: "Unsafe dependencies" }).count()).toBe(0);
    await page.locator('article[data-file="weights/pytorch_model.bin"]').waitFor();
    await shot("scan-pass");
    // Phone width: the scan page reflows too.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('article[data-file="weights/pytorch_model.bin"]').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot("scan-pass-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("loaded nothing from another origin and logged no error (CSP violations included)", () => {
    expect(foreignRequests).toEqual([]);
    // The one expected error: the 401 of the wrong key at sign-in.
    expect(consoleProblems.filter((p) => !/status of 401/.test(p))).toEqual([]);
  });

  it("signs out: the key is forgotten", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("modelward.apiKey"))).toBeNull();
  });
});
