import type { RuleMeta, Severity, Taxonomy } from "@modelward/core";

// Crosswalk of docs/peers-and-threats.md §7: credentials in code or outputs (CWE-798 hard-coded,
// CWE-532 in logs/outputs, CWE-312 cleartext storage); ATLAS "Unsecured Credentials" (AML.T0055).
const CREDENTIAL: Taxonomy = { cwe: ["CWE-798", "CWE-312", "CWE-532"], atlas: ["AML.T0055"], owasp: ["LLM02:2025"] };
// Personal data exposed in a shared artifact (CWE-359), ATLAS data leakage, OWASP sensitive information disclosure.
const PERSONAL: Taxonomy = { cwe: ["CWE-359"], atlas: ["AML.T0057"], owasp: ["LLM02:2025"] };
// Downloaded code run by a notebook's shell escape: download of code without integrity check (CWE-494),
// OS command execution (CWE-78); ATLAS user execution of unsafe ML artifacts/code (AML.T0011).
const DOWNLOAD_EXEC: Taxonomy = { cwe: ["CWE-494", "CWE-78"], atlas: ["AML.T0011"], owasp: ["LLM03:2025", "ML06:2023"] };
// Python code that deserializes with pickle (torch.load, joblib, dill …): CWE-502; ATLAS user execution of unsafe AI artifacts.
const DESERIALIZE: Taxonomy = { cwe: ["CWE-502"], atlas: ["AML.T0011.000"], owasp: ["LLM03:2025", "ML06:2023"] };
// Keras deserialization with safe mode off runs the Lambda code it finds: code injection through data (CWE-94) as well.
const KERAS_UNSAFE: Taxonomy = { cwe: ["CWE-502", "CWE-94"], atlas: ["AML.T0011.000"], owasp: ["LLM03:2025", "ML06:2023"] };
// trust_remote_code imports Python from the model repository: functionality from an untrusted control sphere (CWE-829),
// downloaded without an integrity check (CWE-494); ATLAS AI supply chain compromise of software (AML.T0010.001).
const REMOTE_CODE: Taxonomy = { cwe: ["CWE-829", "CWE-494"], atlas: ["AML.T0010.001", "AML.T0011"], owasp: ["LLM03:2025", "ML06:2023"] };
// exec/eval of downloaded text: code injection (CWE-94, CWE-95) of code downloaded without an integrity check (CWE-494).
const EXEC_FETCHED: Taxonomy = { cwe: ["CWE-94", "CWE-95", "CWE-494"], atlas: ["AML.T0011"], owasp: ["LLM03:2025", "ML06:2023"] };
const MALFORMED: Taxonomy = { cwe: ["CWE-20"], atlas: ["AML.T0010.003"], owasp: ["LLM03:2025"] };

const ROTATE = "Revoke and rotate the credential now (it is in the file's history too), then load it from the environment or a secret manager; clear notebook outputs before sharing (`jupyter nbconvert --clear-output`).";
const PII_FIX = "Remove the personal data or replace it with synthetic values; clear outputs that print records before sharing the notebook.";
const SECRETLINT = "https://github.com/secretlint/secretlint/tree/master/packages/%40secretlint/secretlint-rule-preset-recommend";
const PYTHON_PARSER = "Found by parsing the code with tree-sitter's Python grammar (in notebooks, code cells with their IPython escapes blanked): the same text in a string, a comment or a docstring is not a call.";
const NBFORMAT = "https://nbformat.readthedocs.io/en/latest/format_description.html";

function secretRule(id: string, title: string, description: string, references: string[], defaultSeverity: Severity = "high"): RuleMeta {
  return { id: `notebook/secret-${id}`, title, description, remediation: ROTATE, defaultSeverity, category: "secret", taxonomy: CREDENTIAL, references };
}

function piiRule(id: string, title: string, description: string, references: string[]): RuleMeta {
  return { id: `notebook/pii-${id}`, title, description, remediation: PII_FIX, defaultSeverity: "medium", category: "secret", taxonomy: PERSONAL, references };
}

/** Every rule the notebook and source analyzers report. */
export const RULES = {
  // Credentials secretlint's recommended preset recognises (one rule per provider family).
  aws: secretRule("aws", "AWS credential", "An AWS access key id or secret access key (secretlint `aws`, or a bare `AKIA`/`ASIA` key id). Documentation example keys ending in `EXAMPLE` are reported at low.", [SECRETLINT, "https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html"]),
  gcp: secretRule("gcp", "Google Cloud credential or API key", "A GCP service-account private key (secretlint `gcp`), a Google API key (`AIza…`, 39 characters; a shorter one is truncated or made up and reported at low), an OAuth client secret (`GOCSPX-…`) or an OAuth access token (`ya29.…`).", [SECRETLINT, "https://cloud.google.com/docs/authentication/api-keys"]),
  github: secretRule("github", "GitHub token", "A GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`). Classic tokens end in a CRC32 checksum of their random part: a token whose checksum fails is reported at low confidence and low severity (a made-up value).", [SECRETLINT, "https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/"]),
  slack: secretRule("slack", "Slack token or webhook", "A Slack bot/user token or incoming webhook URL (secretlint `slack`).", [SECRETLINT]),
  npm: secretRule("npm", "npm access token", "An npm access token (secretlint `npm`).", [SECRETLINT]),
  privateKey: secretRule("private-key", "Private key", "A PEM private key block (secretlint `privatekey`).", [SECRETLINT]),
  basicAuth: secretRule("basic-auth-url", "Password in a URL", "A URL with `user:password@` credentials (secretlint `basicauth`).", [SECRETLINT, "https://datatracker.ietf.org/doc/html/rfc3986#section-3.2.1"]),
  connectionString: secretRule("connection-string", "Database or MLflow connection string with a password", "A connection string for PostgreSQL, MySQL, MongoDB, Redis, AMQP, SQL Server or an MLflow tracking/artifact store that carries a password (secretlint `database-connection-string`, or Modelward's own pattern).", [SECRETLINT, "https://mlflow.org/docs/latest/tracking/backend-stores.html"]),
  azure: secretRule("azure", "Azure storage key or credential", "An Azure storage account key (`AccountKey=…`, or 86 base64 characters and `==` assigned to an Azure or storage name) or another Azure credential secretlint recognises. The storage emulator's published key is reported at low.", [SECRETLINT, "https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage"]),
  openai: secretRule("openai", "OpenAI API key", "An OpenAI API key (`sk-…`, `sk-proj-…`, `sk-svcacct-…`).", [SECRETLINT, "https://platform.openai.com/docs/api-reference/authentication"]),
  anthropic: secretRule("anthropic", "Anthropic API key", "An Anthropic API key (`sk-ant-…`).", [SECRETLINT, "https://docs.anthropic.com/en/api/getting-started"]),
  otherProvider: secretRule("other-provider", "Credential of another provider secretlint recognises", "A SendGrid, Shopify, Linear, 1Password or other token from secretlint's recommended preset.", [SECRETLINT]),
  huggingface: secretRule("huggingface", "Hugging Face token", "A Hugging Face user access token (`hf_…`) or legacy organisation token (`api_org_…`): it can read private models and datasets and, with write scope, replace the models others download.", ["https://huggingface.co/docs/hub/security-tokens"]),
  wandb: secretRule("wandb", "Weights & Biases API key", "A 40-character hex key next to `wandb` (`wandb.login(key=…)`, `WANDB_API_KEY=`).", ["https://docs.wandb.ai/guides/track/environment-variables/"]),
  comet: secretRule("comet", "Comet API key", "A Comet ML API key next to `comet` / `COMET_API_KEY`.", ["https://www.comet.com/docs/v2/guides/experiment-management/configure-sdk/"]),
  neptune: secretRule("neptune", "Neptune API token", "A Neptune API token (base64 JSON starting `eyJhcGlfYWRkcmVzcyI6`).", ["https://docs.neptune.ai/setup/setting_api_token/"]),
  replicate: secretRule("replicate", "Replicate API token", "A Replicate API token (`r8_…`).", ["https://replicate.com/docs/reference/http#authentication"]),
  cohere: secretRule("cohere", "Cohere API key", "A 40-character Cohere key next to `cohere` / `CO_API_KEY`.", ["https://docs.cohere.com/reference/about"]),
  facebook: secretRule(
    "facebook",
    "Facebook (Meta) app secret or access token",
    "A Facebook app secret (32 hex characters assigned to a `facebook`/`fb_` name), a user, page or system-user access token (`EAA…`), or an app access token (`<app id>|<secret>`): with it anyone can call the Graph API as the app or the user.",
    ["https://developers.facebook.com/docs/facebook-login/guides/access-tokens/", "https://developers.facebook.com/docs/facebook-login/security/#appsecret"],
  ),
  linkedin: secretRule(
    "linkedin",
    "LinkedIn API key or secret key",
    "A LinkedIn application's secret key (16 letters and digits) or API key (client id, 14 lowercase letters and digits; medium, since a client id also appears in sign-in URLs), assigned to a `linkedin` name.",
    ["https://learn.microsoft.com/linkedin/shared/authentication/client-credentials-flow", "https://learn.microsoft.com/linkedin/shared/api-guide/best-practices/secure-applications"],
  ),
  kaggle: secretRule("kaggle", "Kaggle API key", "A Kaggle API key: the `key` of a `kaggle.json` (32 hex characters beside a `username`) or `KAGGLE_KEY=`.", ["https://www.kaggle.com/docs/api#authentication"]),
  assignment: secretRule(
    "assignment",
    "High-entropy value assigned to a password, token or key",
    "A quoted literal (or `.env` value) of high entropy assigned to a name that says it is a secret (`password =`, `api_key=`, `token:`), and not a placeholder, variable reference or example. Medium: an unknown kind of credential.",
    ["https://cwe.mitre.org/data/definitions/798.html"],
    "medium",
  ),

  email: piiRule("email", "Email address", "A personal email address. `example.com`/`.org`/`.net`, `.test`/`.invalid`/`.localhost` and `noreply` addresses are not reported.", ["https://datatracker.ietf.org/doc/html/rfc2606"]),
  phone: piiRule("phone", "Phone number", "A phone number in international (`+44 20 7946 0958`) or North American (`(415) 555-…`) format. Fictional `555` numbers are not reported.", ["https://en.wikipedia.org/wiki/555_(telephone_number)"]),
  nationalId: piiRule("national-id", "National identification number (US SSN)", "A US Social Security number `AAA-GG-SSSS` in a valid range (not 000/666/9xx areas, 00 groups or 0000 serials), excluding well-known example numbers.", ["https://www.ssa.gov/employer/randomization.html"]),
  creditCard: piiRule("credit-card", "Payment card number", "A 13–19 digit card number with a known issuer prefix that passes the Luhn checksum; published test card numbers are not reported.", ["https://en.wikipedia.org/wiki/Luhn_algorithm"]),
  iban: piiRule("iban", "IBAN (bank account)", "An International Bank Account Number whose length fits its country and whose mod-97 checksum is 1; well-known documentation IBANs are not reported.", ["https://en.wikipedia.org/wiki/International_Bank_Account_Number#Validating_the_IBAN"]),
  ipAddress: piiRule("ip-address", "Public IP address", "A public IPv4 address (private, loopback, link-local, CGNAT, documentation, benchmark, multicast and reserved ranges, and well-known public resolvers, are not reported). It may identify a person's connection.", ["https://www.iana.org/assignments/iana-ipv4-special-registry/"]),

  shellDownloadExec: {
    id: "notebook/shell-download-exec",
    title: "Shell command runs content it downloads",
    description:
      "A code cell's IPython shell escape (`!cmd`, `%sx`, a `%%bash`/`%%sh`/`%%script bash` cell), or a command line written as a string literal to `os.system`, `os.popen`, `subprocess.*` (a string with `shell=True`, or `[\"bash\", \"-c\", …]`) in a notebook or `.py` file, pipes a download into an interpreter (`curl … | sh`, `wget -qO- … | python`), runs it through substitution (`bash <(curl …)`), or fetches a script and then executes it (in the same cell or file). Whoever controls the URL (or the network path, for plain HTTP) runs code with the user's rights when the code is run. Plain downloads of data or weights are not reported. Escapes are found as IPython finds them and calls by parsing the Python: the same text inside another string or a comment is not a command.",
    remediation: "Download the script once, review it, pin it by hash (or vendor it), and run the reviewed copy; prefer a package manager with pinned, hashed versions.",
    defaultSeverity: "high",
    category: "runtime",
    taxonomy: DOWNLOAD_EXEC,
    references: ["https://ipython.readthedocs.io/en/stable/interactive/reference.html#system-shell-access", "https://cwe.mitre.org/data/definitions/494.html"],
  } satisfies RuleMeta,

  torchLoad: {
    id: "notebook/torch-load-unsafe",
    title: "torch.load without weights_only=True",
    description:
      "Python code (a notebook code cell or a `.py` file) calls `torch.load` (or `torch.hub.load_state_dict_from_url`, `torch.utils.model_zoo.load_url`) with `weights_only=False`, or without `weights_only`: the file is unpickled with the full pickle machinery, so a checkpoint that calls `os.system` runs it. Severity: `weights_only=False` of a remote file (a URL, a download call such as `hf_hub_download`, or a name bound to one) high, of a local path medium; without `weights_only` (or with a non-literal value) medium for a remote file and low for a local one, because torch ≥ 2.6 defaults to `weights_only=True` and only older torch runs the pickle. " +
      PYTHON_PARSER,
    remediation: "Pass `weights_only=True` (the default from torch 2.6), or load `.safetensors` with `safetensors.torch.load_file`; scan downloaded checkpoints before loading them.",
    defaultSeverity: "medium",
    category: "deserialization",
    taxonomy: DESERIALIZE,
    references: ["https://pytorch.org/docs/stable/generated/torch.load.html", "https://cwe.mitre.org/data/definitions/502.html"],
  } satisfies RuleMeta,

  pickleLoad: {
    id: "notebook/pickle-load",
    title: "Python code unpickles a file or bytes",
    description:
      "Python code calls a loader that runs pickle: `pickle.load`/`loads`/`Unpickler` (and `cPickle`/`_pickle`), `joblib.load`, `dill.load(s)`, `cloudpickle.load(s)`, `pandas.read_pickle`, or `numpy.load(…, allow_pickle=True)`. Unpickling runs whatever callables the data names. Severity: high when the data is remote (a URL, the result of a download call such as `requests.get` or `hf_hub_download`, or a name bound to one), medium for a local path or other bytes. `numpy.load` without `allow_pickle=True` is safe and not reported. Aliases (`import pickle as pk`, `from joblib import load`) are resolved. " +
      PYTHON_PARSER,
    remediation: "Store data in a format that cannot run code (safetensors, `.npy` without objects, Parquet, JSON); when a pickle must be read, read only files you produced, and scan them first.",
    defaultSeverity: "medium",
    category: "deserialization",
    taxonomy: DESERIALIZE,
    references: ["https://docs.python.org/3/library/pickle.html", "https://joblib.readthedocs.io/en/stable/persistence.html", "https://numpy.org/doc/stable/reference/generated/numpy.load.html"],
  } satisfies RuleMeta,

  trustRemoteCode: {
    id: "notebook/trust-remote-code",
    title: "trust_remote_code=True runs the model repository's Python",
    description:
      "A call passes `trust_remote_code=True` (`AutoModel.from_pretrained`, `pipeline`, `load_dataset` …): the Python files the repository's `auto_map` names are downloaded and imported, with the user's rights. High when the revision is not pinned to a commit (whoever can push to the repository changes the code that runs); medium when `revision=` is a 40-hex commit or the model is a local path (the code can be reviewed). A non-literal value is low. " +
      PYTHON_PARSER,
    remediation: "Prefer models that need no remote code; otherwise review the repository's Python files and pin `revision=` to the reviewed commit.",
    defaultSeverity: "high",
    category: "runtime",
    taxonomy: REMOTE_CODE,
    references: ["https://huggingface.co/docs/transformers/main/en/models#custom-models", "https://cwe.mitre.org/data/definitions/829.html"],
  } satisfies RuleMeta,

  kerasUnsafe: {
    id: "notebook/keras-unsafe-mode",
    title: "Keras deserialization with safe_mode=False",
    description:
      "A Keras load (`load_model`, `model_from_json`, `deserialize_keras_object`, `from_config` …) with `safe_mode=False`, or a call of `keras.config.enable_unsafe_deserialization()`: Lambda layers' marshalled Python bytecode is loaded and run. High when the model is remote (a URL or a download call such as `get_file`/`hf_hub_download`), medium otherwise. " +
      PYTHON_PARSER,
    remediation: "Keep `safe_mode=True` (the default); replace Lambda layers with registered custom layers whose code you ship.",
    defaultSeverity: "medium",
    category: "deserialization",
    taxonomy: KERAS_UNSAFE,
    references: ["https://keras.io/api/models/model_saving_apis/model_saving_and_loading/", "https://cwe.mitre.org/data/definitions/94.html"],
  } satisfies RuleMeta,

  execFetched: {
    id: "notebook/exec-fetched-code",
    title: "exec/eval of downloaded content",
    description:
      "`exec`, `eval`, `compile` or `runpy.run_path` is given content fetched from the network (`requests.get(…).text`, `urlopen(…).read()`, a file from `hf_hub_download`, or a name bound to one): whoever controls the URL (or the network path) runs code with the user's rights. " +
      PYTHON_PARSER,
    remediation: "Do not execute downloaded text: vendor the code, or install it as a pinned, hashed package.",
    defaultSeverity: "high",
    category: "runtime",
    taxonomy: EXEC_FETCHED,
    references: ["https://docs.python.org/3/library/functions.html#exec", "https://cwe.mitre.org/data/definitions/494.html"],
  } satisfies RuleMeta,

  commandFetched: {
    id: "notebook/command-fetched",
    title: "Shell command built from downloaded content",
    description:
      "`os.system`, `os.popen`, an `os.exec*`/`os.spawn*` function or a `subprocess` call is given content fetched from the network (the text of `requests.get`, a file from `urlretrieve` or `hf_hub_download`, or a name bound to one) as its command, arguments or input: the download decides what runs. " +
      PYTHON_PARSER,
    remediation: "Never run what a download returns; vendor and review the script, or pin it by hash and check the hash before running it.",
    defaultSeverity: "high",
    category: "runtime",
    taxonomy: DOWNLOAD_EXEC,
    references: ["https://docs.python.org/3/library/subprocess.html#security-considerations", "https://cwe.mitre.org/data/definitions/78.html"],
  } satisfies RuleMeta,

  malformedNotebook: {
    id: "notebook/malformed",
    title: "Notebook could not be fully read",
    description: "The `.ipynb` file is not valid notebook JSON, is cut short, or passes a reading limit (string length, cell count, text budget). Jupyter may still open part of it; what was not read was not checked for secrets, so the file is reported incomplete.",
    remediation: "Open and re-save the notebook in Jupyter (`jupyter nbconvert --to notebook`), or clear its outputs; check why it is malformed if it came from elsewhere.",
    defaultSeverity: "medium",
    category: "integrity",
    taxonomy: MALFORMED,
    references: [NBFORMAT],
  } satisfies RuleMeta,
} as const;

/** All rules, for the analyzers' `rules` lists. */
export const ALL_RULES: RuleMeta[] = Object.values(RULES);
