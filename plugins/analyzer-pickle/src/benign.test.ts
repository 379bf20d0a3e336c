import { joblibArray, npyFile, pickle, type PickleBuilder } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { alarms, findingsOf, scan, severityOf } from "./test-helpers.js";

const f64 = (n: number) => new Uint8Array(new Float64Array(n).fill(0.5).buffer);

// ndarray.__reduce__ at protocol 4, as numpy writes it.
function ndarray(b: PickleBuilder, dtype: string, shape: number[], data: Uint8Array): PickleBuilder {
  b.stackGlobalOf("numpy.core.multiarray", "_reconstruct").stackGlobalOf("numpy", "ndarray").binInt(0).tupleN(1).bytes([0x62]).tupleN(3).reduce();
  b.mark().binInt(1).mark();
  for (const s of shape) b.binInt(s);
  b.tuple().stackGlobalOf("numpy", "dtype").shortBinUnicode(dtype).bool(false).bool(true).tupleN(3).reduce();
  b.mark().binInt(3).shortBinUnicode("<").none().none().none().binInt(-1).binInt(-1).binInt(0).tuple().buildOp();
  return b.bool(false).bytes(data).tuple().buildOp();
}

async function expectQuiet(bytes: Uint8Array, path: string) {
  const r = await scan(bytes, path);
  expect(findingsOf(r).filter((f) => ["critical", "high", "medium"].includes(severityOf(f))).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  return r;
}

describe("benign artifacts written the way the libraries write them", () => {
  it("numpy arrays pickled at protocol 4 (dict of weights)", async () => {
    const b = pickle().proto(4).emptyDict().memoize().mark();
    for (let i = 0; i < 3; i++) ndarray(b.shortBinUnicode(`w${i}`), "f8", [4, 8], f64(32));
    const r = await expectQuiet(b.setItems().stop().toBytes(), "weights.pkl");
    expect(r.recordings[0]!.imports.map((i) => i.safety)).not.toContain("unknown");
  });

  it("protocol-2 pickle from Python 3 (__builtin__ names, _codecs.encode for bytes, copy_reg)", async () => {
    const b = pickle().proto(2).global("copy_reg", "_reconstructor").mark().global("collections", "OrderedDict").global("__builtin__", "dict").emptyDict().tuple().reduce()
      .global("_codecs", "encode").binUnicode("\u00ff\u0001").shortBinUnicode("latin1").tupleN(2).reduce().pop().global("__builtin__", "set").emptyList().tupleN(1).reduce().pop().stop();
    await expectQuiet(b.toBytes(), "old.pkl");
  });

  it("a scikit-learn estimator saved with joblib (NumpyArrayWrapper arrays, alignment padding)", async () => {
    const b = pickle().proto(4).stackGlobalOf("sklearn.linear_model._logistic", "LogisticRegression").emptyTuple().newObj().emptyDict().mark()
      .shortBinUnicode("C").binFloat(1.0).shortBinUnicode("penalty").shortBinUnicode("l2").shortBinUnicode("coef_");
    joblibArray(b, { dtype: "f8", shape: [1, 4], data: f64(4), alignment: true });
    b.shortBinUnicode("classes_");
    joblibArray(b, { dtype: "i8", shape: [2], data: new Uint8Array(16), alignment: true });
    b.shortBinUnicode("_sklearn_version").shortBinUnicode("1.5.2").setItems().buildOp().stop();
    const r = await expectQuiet(b.toBytes(), "model.joblib");
    expect(r.recordings[0]!.facts.format).toBe("joblib");
  });

  it("a torch state_dict data.pkl (OrderedDict, _rebuild_tensor_v2, BINPERSID storages)", async () => {
    const b = pickle().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
    for (let i = 0; i < 2; i++) {
      b.shortBinUnicode(`layer${i}.weight`).global("torch._utils", "_rebuild_tensor_v2").mark().mark()
        .shortBinUnicode("storage").global("torch", "FloatStorage").shortBinUnicode(String(i)).shortBinUnicode("cpu").binInt(16).tuple().binPersId()
        .binInt(0).binInt(4).binInt(4).tupleN(2).binInt(4).binInt(1).tupleN(2).bool(false).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
    }
    await expectQuiet(b.setItems().stop().toBytes(), "archive/data.pkl");
  });

  it("a NumPy .npy float array and an object array of numpy arrays", async () => {
    await expectQuiet(npyFile({ descr: "<f8", shape: [2, 3], data: f64(6) }), "a.npy");
    const obj = ndarray(pickle().proto(3), "f8", [2], f64(2)).stop().toBytes();
    await expectQuiet(npyFile({ descr: "|O", shape: [1], data: obj }), "o.npy");
  });

  it.each([
    ["hello.txt", "Hello, world!\nThis is text.\n"],
    ["LICENSE", "MIT License\n\nCopyright (c) 2024 Someone\n"],
    ["config.json", '{"architectures": ["BertModel"], "hidden_size": 768}'],
    ["data.csv", "1,2,3\n4,5,6\n"],
    ["README.md", "# Model card\n\n(c) 2024 Foo\nBar\n"],
    ["notes.txt", "0.5\n"],
  ])("text file %s is not claimed as a pickle and raises nothing", async (path, text) => {
    const r = await scan(new TextEncoder().encode(text), path);
    expect(r.claimed).toBeUndefined();
    expect(alarms(r, "medium")).toBe(false);
  });

  it("a PNG named model.pt is not claimed", async () => {
    const r = await scan(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "model.pt");
    expect(r.claimed).toBeUndefined();
  });

  it("a garbage file named .pkl is claimed and reported malformed, not passed", async () => {
    const r = await scan(new TextEncoder().encode("(this is not a pickle"), "weights.pkl");
    expect(r.claimed).toBe("pickle");
    expect(findingsOf(r).some((f) => f.ruleId === "pickle/malformed-stream")).toBe(true);
  });

  it("records every global with its safety and describes the stream", async () => {
    const r = await scan(pickle().proto(4).callStr("mypkg.layers", "Custom", "x").stop().toBytes(), "m.pkl");
    expect(r.recordings[0]!.imports).toEqual([{ kind: "global", name: "mypkg.layers.Custom", safety: "unknown" }]);
    expect(r.recordings[0]!.facts.properties).toMatchObject({ opcodes: 8, protocol: 4, streams: 1 });
    expect(findingsOf(r).map((f) => [f.ruleId, f.position?.byteOffset])).toEqual([["pickle/unknown-call", 24]]);
  });

  it("without any policy loaded, a known class is unknown (medium), never silently safe", async () => {
    const b = pickle().proto(4).stackGlobalOf("collections", "OrderedDict").emptyTuple().newObj().stop().toBytes();
    const r = await scan(b, "m.pkl", { policies: [] });
    expect(findingsOf(r).map((f) => f.ruleId)).toEqual(["pickle/unknown-global"]);
    expect(r.recordings[0]!.incomplete.some((m) => m.includes("no pickle policy"))).toBe(true);
  });
});

describe("evasions of content routing", () => {
  it("a pickle with a zip end-of-central-directory appended is still analysed", async () => {
    const { concatBytes } = await import("@modelward/testing");
    const eocd = new Uint8Array(22);
    eocd.set([0x50, 0x4b, 0x05, 0x06]);
    const b = concatBytes(pickle().proto(4).callStr("os", "system", "echo eocd").stop().toBytes(), eocd);
    const r = await scan(b, "model.bin");
    expect(r.claimed).toBe("pickle");
    expect(alarms(r, "critical")).toBe(true);
  });
});

describe("torch pickles from the testing kit's torch builder", () => {
  it("state dict, nn.Module and Lightning checkpoint data.pkl raise nothing at medium or above", async () => {
    const t = await import("@modelward/testing");
    for (const bytes of [t.torchStateDictPickle({ w: { shape: [2, 2] } }), t.torchModulePickle(), t.lightningCheckpointPickle()]) {
      await expectQuiet(bytes, "archive/data.pkl");
    }
  });
});

describe("Hugging Face training_args.bin", () => {
  // torch.save(TrainingArguments) at protocol 2: copyreg.__newobj__ (NEWOBJ, no __init__), then BUILD of its
  // __dict__, whose option fields are Enum members pickled as Enum(value).
  const trainingArgs = () => {
    const b = pickle().proto(2).global("transformers.training_args", "TrainingArguments").emptyTuple().newObj().emptyDict().mark();
    b.shortBinUnicode("output_dir").shortBinUnicode("out");
    b.shortBinUnicode("eval_strategy").global("transformers.trainer_utils", "IntervalStrategy").shortBinUnicode("steps").tupleN(1).reduce();
    b.shortBinUnicode("lr_scheduler_type").global("transformers.trainer_utils", "SchedulerType").shortBinUnicode("linear").tupleN(1).reduce();
    b.shortBinUnicode("optim").global("transformers.training_args", "OptimizerNames").shortBinUnicode("adamw_torch").tupleN(1).reduce();
    b.shortBinUnicode("distributed_state").global("accelerate.utils.dataclasses", "DistributedType").shortBinUnicode("NO").tupleN(1).reduce();
    return b.setItems().buildOp().stop().toBytes();
  };

  it("raises nothing above medium: the enums are allowed, the dataclass itself stays an unaudited global", async () => {
    const r = await scan(trainingArgs(), "training_args.bin");
    const found = findingsOf(r).map((f) => `${severityOf(f)} ${f.ruleId}`);
    expect(found.filter((f) => /^(critical|high) /.test(f))).toEqual([]);
    expect(found).toContain("medium pickle/unknown-global");
  });
});
