import { AnalyzerTester, allFindings, buildNotebook, incompleteReasons } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { githubChecksumValid } from "./github-checksum.js";
import plugin from "./index.js";
import { FAKE, MORE_FAKES, githubToken, utf8 } from "./test-fixtures.js";

const tester = new AnalyzerTester({ plugins: [plugin] });

async function findingsOf(path: string, text: string) {
  const report = await tester.scan(path, utf8(text));
  expect(incompleteReasons(report)).toEqual([]);
  return allFindings(report);
}

describe("GitHub token checksum", () => {
  it("accepts a token whose last 6 characters are the base62 CRC32 of its random part, and only that", () => {
    expect(githubChecksumValid(githubToken(1))).toBe(true);
    expect(githubChecksumValid(githubToken(1, false))).toBe(false);
    expect(githubChecksumValid("gh" + "o_16C7e42F292c6912E7710c838347Ae178B4a")).toBe(false);
  });
});

const CASES: [string, string, string, RegExp?][] = [
  ["Hugging Face", `from huggingface_hub import login\nlogin(token="${FAKE.hf()}")\n`, "notebook/secret-huggingface"],
  ["OpenAI", `client = OpenAI(api_key="${FAKE.openai()}")\n`, "notebook/secret-openai"],
  ["Anthropic", `client = anthropic.Anthropic(api_key="${FAKE.anthropic()}")\n`, "notebook/secret-anthropic"],
  ["Replicate", `os.environ["REPLICATE_API_TOKEN"] = "${FAKE.replicate()}"\n`, "notebook/secret-replicate"],
  ["W&B", `import wandb\nwandb.login(key="${FAKE.wandb()}")\n`, "notebook/secret-wandb"],
  ["Comet", `from comet_ml import Experiment\nexp = Experiment(api_key="${FAKE.comet()}")\n`, "notebook/secret-comet"],
  ["Neptune", `run = neptune.init_run(api_token="${FAKE.neptune()}")\n`, "notebook/secret-neptune"],
  ["Cohere", `co = cohere.Client("${FAKE.cohere()}")\n`, "notebook/secret-cohere"],
  ["MLflow DB", `mlflow.set_tracking_uri("postgresql://mlflow:S3cr3tPassw0rd@db.internal:5432/mlflow")\n`, "notebook/secret-connection-string"],
  ["Azure storage", `conn = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${FAKE.azureKey()};EndpointSuffix=core.windows.net"\n`, "notebook/secret-azure"],
  ["GitHub (valid checksum)", `GITHUB = "${githubToken(5)}"\n`, "notebook/secret-github"],
  ["Google API key", `maps_key = "${FAKE.googleApi()}"\n`, "notebook/secret-gcp"],
  ["AWS secret (secretlint)", `aws_access_key_id = "${FAKE.awsId()}"\naws_secret_access_key = "${FAKE.awsSecret()}"\n`, "notebook/secret-aws"],
  ["Slack (secretlint)", `SLACK = "${FAKE.slack()}"\n`, "notebook/secret-slack"],
  ["password assignment", `db_password = "${FAKE.password()}"\n`, "notebook/secret-assignment"],
  ["Facebook app secret", `fb_app_secret = "${MORE_FAKES.facebookSecret()}"\n`, "notebook/secret-facebook"],
  ["Facebook app secret (.env style)", `FACEBOOK_APP_SECRET: ${MORE_FAKES.facebookSecret()}\n`, "notebook/secret-facebook"],
  ["Facebook access token", `graph = facebook.GraphAPI(access_token="${MORE_FAKES.facebookToken()}")\n`, "notebook/secret-facebook"],
  ["Facebook app access token", `requests.get("https://graph.facebook.com/me", params={"access_token": "${MORE_FAKES.facebookAppToken()}"})\n`, "notebook/secret-facebook"],
  ["LinkedIn secret key", `LINKEDIN_CLIENT_SECRET = "${MORE_FAKES.linkedinSecret()}"\n`, "notebook/secret-linkedin"],
  ["Google OAuth client secret", `flow = Flow.from_client_config({"web": {"client_secret": "${MORE_FAKES.googleOauthSecret()}"}})\n`, "notebook/secret-gcp"],
  ["Google OAuth access token", `headers = {"Authorization": "Bearer ${MORE_FAKES.googleAccessToken()}"}\n`, "notebook/secret-gcp"],
  ["Azure storage key without AccountKey=", `AZURE_STORAGE_KEY = "${FAKE.azureKey()}"\n`, "notebook/secret-azure"],
];

describe("source analyzer: every secret kind", () => {
  it.each(CASES)("%s", async (_name, text, ruleId) => {
    const found = await findingsOf("train.py", text);
    const hit = found.find((f) => f.ruleId === ruleId);
    expect(hit, JSON.stringify(found.map((f) => [f.ruleId, f.message]))).toBeDefined();
    expect(hit!.location.line).toBeGreaterThan(0);
    expect(hit!.location.column).toBeGreaterThan(0);
    expect(hit!.evidence.sha256).toMatch(/^[0-9a-f]{12}$/);
    expect(hit!.evidence.redacted).toMatch(/…\(\d+ chars\)$/);
  });

  it("reads kaggle.json", async () => {
    const found = await findingsOf("kaggle.json", JSON.stringify({ username: "alice", key: FAKE.kaggleKey() }));
    expect(found.map((f) => f.ruleId)).toContain("notebook/secret-kaggle");
  });

  it("reads .env files, unquoted", async () => {
    const found = await findingsOf(".env", `HF_TOKEN=${FAKE.hf()}\nDATABASE_PASSWORD=${FAKE.password()}\nDEBUG=true\n`);
    expect(found.map((f) => [f.ruleId, f.location.line])).toEqual([
      ["notebook/secret-huggingface", 1],
      ["notebook/secret-assignment", 2],
    ]);
  });

  it("lowers a GitHub token whose checksum fails and an AWS documentation key", async () => {
    const found = await findingsOf("a.py", `t = "${githubToken(9, false)}"\nk = "AKIAIOSFODNN7EXAMPLE"\n`);
    expect(found.map((f) => [f.ruleId, f.severity])).toEqual([
      ["notebook/secret-github", "low"],
      ["notebook/secret-aws", "low"],
    ]);
  });

  it("reports a LinkedIn client id at medium, and documentation-shaped values at low", async () => {
    const text = [
      `linkedin_api_key = "${MORE_FAKES.linkedinClientId()}"`,
      `youtube_api_key = "${FAKE.googleApi().slice(0, 28)}"`,
      `azure_access_key = "${MORE_FAKES.azureEmulatorKey()}"`,
    ].join("\n");
    const found = await findingsOf("keys.py", text);
    expect(found.map((f) => [f.ruleId, f.severity, f.location.line])).toEqual([
      ["notebook/secret-linkedin", "medium", 1],
      ["notebook/secret-gcp", "low", 2],
      ["notebook/secret-azure", "low", 3],
    ]);
    expect(found[1]!.message).toMatch(/28 characters where a Google API key has 39/);
    expect(found[2]!.message).toMatch(/emulator's published well-known key/);
  });

  it("stays quiet on hashes, ids and slugs beside Facebook and LinkedIn names", async () => {
    const text = [
      `fb_image_md5 = "${MORE_FAKES.facebookSecret()}"`,
      `checksum = "${MORE_FAKES.facebookSecret()}"`,
      'linkedin_profile = "jane-doe-1a2b3c"',
      'linkedin_user_id = "a1b2c3d4e5f6g7"',
      'linkedin_api_key = "abcdefghijklmn"',
      'fb_app_secret = "0123456789abcdef0123456789abcdef"',
      'maps_key = "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"',
      `facebook_page = "https://facebook.com/${MORE_FAKES.linkedinSecret()}"`,
    ].join("\n");
    expect((await findingsOf("profile.py", text)).map((f) => [f.ruleId, f.message])).toEqual([]);
  });

  it("stays quiet on placeholders, references, tokenizer tokens and model ids", async () => {
    const text = [
      'HF_TOKEN = "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
      'api_key = os.environ["OPENAI_API_KEY"]',
      'password = "<your-password-here>"',
      'pad_token = "<|endoftext|>"',
      'eos_token = "</s>"',
      'tokenizer = "bert-base-uncased"',
      'hub_token = "meta-llama/Llama-2-7b-hf"',
      'token = get_token()',
      "secret_key = ${SECRET_KEY}",
      'mlflow.set_tracking_uri("postgresql://user:${DB_PASSWORD}@db:5432/mlflow")',
      'sha = "3f2c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"',
    ].join("\n");
    expect((await findingsOf("config.py", text)).map((f) => [f.ruleId, f.message])).toEqual([]);
  });
});

describe("secretlint's profile", () => {
  it("is forgotten after each lint: no marks left in the timeline, no entries kept (it grew with every file, searched on every mark)", async () => {
    for (let i = 0; i < 4; i++) await findingsOf(`mod${i}.py`, `LEVEL = ${i}\nprint("ready")\n`);
    const { performance } = await import("node:perf_hooks");
    const { secretLintProfiler } = await import("@secretlint/profiler");
    expect(performance.getEntriesByType("mark").filter((e) => /^@core>|secretlint/.test(e.name))).toEqual([]);
    expect(secretLintProfiler.entries).toHaveLength(0);
  });
});

describe("notebook analyzer", () => {
  it("finds secrets only present in outputs and names the cell, execution count and output", async () => {
    const hf = FAKE.hf();
    const bytes = buildNotebook({
      cells: [
        { type: "markdown", source: "# Training" },
        { source: "import os\nprint(os.environ)", executionCount: 4, outputs: [{ type: "stream", text: `environ({'HOME': '/root',\n 'HF_TOKEN': '${hf}'})\n` }] },
        { source: "connect()", executionCount: 5, outputs: [{ type: "error", ename: "OperationalError", evalue: "could not connect", traceback: ["\u001b[0;31mOperationalError\u001b[0m: postgresql://admin:Hunter2Secret9@10.0.0.5/prod"] }] },
      ],
    });
    const report = await tester.scan("eda.ipynb", bytes);
    expect(incompleteReasons(report)).toEqual([]);
    expect(report.files[0]!.format).toBe("notebook");
    const found = allFindings(report);
    expect(found.map((f) => [f.ruleId, f.location.cell, f.location.line, f.evidence.executionCount, f.evidence.output])).toEqual([
      ["notebook/secret-huggingface", 1, 2, 4, "stream:stdout"],
      ["notebook/secret-connection-string", 2, 2, 5, "traceback"],
    ]);
    expect(found[0]!.message).toMatch(/^Hugging Face token hf_\w…\(37 chars\) \(sha256 [0-9a-f]{12}\) in cell 1 \[4\], output 0 \(stream:stdout\), line 2, column \d+$/);
    expect(found[0]!.location.jsonPointer).toBe("/cells/1/outputs/0/text");
  });

  it("reports a cut notebook as malformed and incomplete, with the secrets before the cut", async () => {
    const bytes = buildNotebook({ cells: [{ source: `token = "${FAKE.hf()}"` }, { source: "x = 1" }] });
    const cut = bytes.slice(0, bytes.length - 60);
    const report = await tester.scan("cut.ipynb", cut);
    const ids = allFindings(report).map((f) => f.ruleId);
    expect(ids).toContain("notebook/secret-huggingface");
    expect(ids).toContain("notebook/malformed");
    expect(incompleteReasons(report).join()).toMatch(/notebook not fully read/);
  });
});
