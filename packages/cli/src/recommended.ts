import type { ConfigObject } from "@modelward/core";
import analyzerArchive from "@modelward/analyzer-archive";
import analyzerKeras from "@modelward/analyzer-keras";
import analyzerNotebook from "@modelward/analyzer-notebook";
import analyzerGguf from "@modelward/analyzer-gguf";
import analyzerSafetensors from "@modelward/analyzer-safetensors";
import analyzerOnnx from "@modelward/analyzer-onnx";
import analyzerHfConfig from "@modelward/analyzer-hf-config";
import analyzerPickle from "@modelward/analyzer-pickle";
import analyzerPytorch from "@modelward/analyzer-pytorch";
import analyzerTensorflow from "@modelward/analyzer-tensorflow";
import analyzerSbom from "@modelward/analyzer-sbom";
import reporterConsole from "@modelward/reporter-console";
import reporterCyclonedx from "@modelward/reporter-cyclonedx";
import reporterJson from "@modelward/reporter-json";
import reporterSarif from "@modelward/reporter-sarif";
import defaultRuleset from "@modelward/ruleset-default";
import sourceFile from "@modelward/source-file";
import sourceGit from "@modelward/source-git";
import sourceHf from "@modelward/source-hf";
import sourceS3 from "@modelward/source-s3";

/**
 * `modelward:recommended`: every first-party plugin and the default ruleset,
 * failing on high. A config file that extends it can add, override or turn off anything.
 */
export const recommendedConfig: ConfigObject = {
  plugins: [sourceFile, sourceGit, sourceHf, sourceS3, analyzerPickle, analyzerPytorch, analyzerKeras, analyzerTensorflow, analyzerArchive, analyzerSbom, analyzerNotebook, analyzerHfConfig, analyzerGguf, analyzerSafetensors, analyzerOnnx, reporterJson, reporterConsole, reporterSarif, reporterCyclonedx],
  rulesets: [defaultRuleset],
  // Git's object store is compressed history, not artifacts; scan a checkout, not its database.
  ignore: ["**/.git"],
  reporters: ["console"],
  failOn: "high",
};

/** Presets the CLI offers to `extends`. */
export const PRESETS = { "modelward:recommended": recommendedConfig };
