// TensorFlow ops by what they can do outside the model's computation
// (tf.raw_ops, tensorflow/core/ops/*.cc). Names are exact op names as they appear in NodeDef.op.

const split = (s: string) => new Set(s.trim().split(/\s+/));

/** Ops that call back into the Python interpreter of the loading process. */
export const PYTHON_CALLBACK_OPS = split(`PyFunc PyFuncStateless EagerPyFunc EagerPyFuncAsync PyCall`);

/** Ops that read files or list directories; the path is an input (or an attribute). */
export const FILE_READ_OPS = split(`
  ReadFile MatchingFiles WholeFileReader WholeFileReaderV2 TextLineReader TextLineReaderV2 FixedLengthRecordReader
  FixedLengthRecordReaderV2 TFRecordReader TFRecordReaderV2 LMDBReader IdentityReader IdentityReaderV2
  TFRecordDataset TFRecordDatasetV2 TextLineDataset FixedLengthRecordDataset FixedLengthRecordDatasetV2 CSVDataset CSVDatasetV2
  ExperimentalCSVDataset LMDBDataset ExperimentalLMDBDataset MatchingFilesDataset ExperimentalMatchingFilesDataset LoadDataset
  InitializeTableFromTextFile InitializeTableFromTextFileV2 ImmutableConst CacheDataset CacheDatasetV2 SnapshotDataset
  SnapshotDatasetV2 SnapshotDatasetReader SqlDataset ExperimentalSqlDataset FixedUnigramCandidateSampler
`);

/** Ops that write files. */
export const FILE_WRITE_OPS = split(`
  WriteFile DatasetToTFRecord ExperimentalDatasetToTFRecord SaveDataset SaveDatasetV2 DistributedSave CreateSummaryFileWriter
  CreateSummaryDbWriter ImportEvent WriteRawProtoSummary
`);

/** Checkpoint I/O: every SavedModel's saver functions use them with a path fed at run time (a placeholder). */
export const CHECKPOINT_OPS = split(`Save SaveV2 SaveSlices Restore RestoreV2 RestoreSlice MergeV2Checkpoints`);

/** Ops that talk to the network or to a debugger endpoint. */
export const NETWORK_OPS = split(`
  Rpc TryRpc RpcServer RpcClient RpcCall RpcServerStart RpcServerRegister RpcCheckStatus RpcGetValue DataServiceDataset
  DataServiceDatasetV2 DataServiceDatasetV3 DataServiceDatasetV4 RegisterDataset RegisterDatasetV2 DebugIdentity DebugIdentityV2
  DebugIdentityV3 DebugNanCount DebugNumericSummary DebugNumericSummaryV2
`);

/** Ops whose string attributes may name a file or URL (reported as evidence with the op). */
export const PATH_ATTRIBUTES = ["filename", "file_pattern", "vocab_file", "debug_urls", "output_stream", "descriptor_source", "logdir", "db_uri", "path", "data_source_name"];
