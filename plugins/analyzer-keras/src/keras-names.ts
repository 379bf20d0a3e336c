// What the Keras 2/3 and tf.keras public namespaces define, for the allow-first policy:
// keras.layers, models, optimizers (+ schedules), losses, metrics, initializers,
// regularizers, constraints, activations, dtype policies and the serialization
// markers of keras/src/saving/serialization_lib.py. Anything else is reported.

const split = (s: string) => s.trim().split(/\s+/);

/** Classes Keras ships (serialized as `class_name`), excluding those with their own rule. */
export const KERAS_CLASSES: ReadonlySet<string> = new Set(
  split(`
  Functional Sequential Model InputLayer Input InputSpec Layer Operation Node KerasTensor
  Dense EinsumDense Embedding Masking Identity Wrapper Activation ELU LeakyReLU PReLU ReLU Softmax ThresholdedReLU
  AdditiveAttention Attention GroupQueryAttention GroupedQueryAttention MultiHeadAttention
  Conv1D Conv1DTranspose Conv2D Conv2DTranspose Conv3D Conv3DTranspose Convolution1D Convolution2D Convolution3D
  Convolution1DTranspose Convolution2DTranspose Convolution3DTranspose DepthwiseConv1D DepthwiseConv2D
  SeparableConv1D SeparableConv2D SeparableConvolution1D SeparableConvolution2D
  Add Average Concatenate Dot Maximum Minimum Multiply Subtract
  BatchNormalization SyncBatchNormalization GroupNormalization LayerNormalization SpectralNormalization UnitNormalization RMSNormalization
  AveragePooling1D AveragePooling2D AveragePooling3D AvgPool1D AvgPool2D AvgPool3D
  GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D GlobalAvgPool1D GlobalAvgPool2D GlobalAvgPool3D
  GlobalMaxPooling1D GlobalMaxPooling2D GlobalMaxPooling3D GlobalMaxPool1D GlobalMaxPool2D GlobalMaxPool3D
  MaxPooling1D MaxPooling2D MaxPooling3D MaxPool1D MaxPool2D MaxPool3D AdaptiveAveragePooling1D AdaptiveAveragePooling2D AdaptiveMaxPooling1D AdaptiveMaxPooling2D
  CategoryEncoding Discretization HashedCrossing Hashing IntegerLookup StringLookup TextVectorization Normalization
  Rescaling Resizing CenterCrop RandomBrightness RandomContrast RandomCrop RandomFlip RandomRotation RandomTranslation
  RandomZoom RandomHeight RandomWidth RandomGrayscale RandomHue RandomSaturation RandomSharpness RandomShear RandomPosterization
  RandomColorJitter RandomColorDegeneration RandomErasing RandomGaussianBlur RandomInvert RandomPerspective RandomElasticTransform
  AutoContrast Equalization Solarization RandAugment AugMix CutMix MixUp Pipeline MelSpectrogram STFTSpectrogram
  ActivityRegularization Dropout AlphaDropout GaussianDropout GaussianNoise SpatialDropout1D SpatialDropout2D SpatialDropout3D
  Cropping1D Cropping2D Cropping3D Flatten Permute RepeatVector Reshape UpSampling1D UpSampling2D UpSampling3D
  ZeroPadding1D ZeroPadding2D ZeroPadding3D Bidirectional ConvLSTM1D ConvLSTM2D ConvLSTM3D GRU GRUCell LSTM LSTMCell
  RNN SimpleRNN SimpleRNNCell StackedRNNCells TimeDistributed CuDNNGRU CuDNNLSTM LocallyConnected1D LocallyConnected2D
  SlicingOpLambda InstanceProperty InstanceMethod ClassMethod
  Adam AdamW Adadelta Adafactor Adagrad Adamax Ftrl Lion LossScaleOptimizer Nadam RMSprop SGD Muon Lamb LAMB
  ExponentialDecay PiecewiseConstantDecay PolynomialDecay InverseTimeDecay CosineDecay CosineDecayRestarts
  BinaryCrossentropy BinaryFocalCrossentropy CategoricalCrossentropy CategoricalFocalCrossentropy CategoricalHinge
  CosineSimilarity Hinge Huber KLDivergence LogCosh MeanAbsoluteError MeanAbsolutePercentageError MeanSquaredError
  MeanSquaredLogarithmicError Poisson SparseCategoricalCrossentropy SquaredHinge Tversky Dice CTC Circle LossFunctionWrapper Loss
  Accuracy BinaryAccuracy CategoricalAccuracy SparseCategoricalAccuracy TopKCategoricalAccuracy SparseTopKCategoricalAccuracy
  AUC Precision Recall PrecisionAtRecall RecallAtPrecision SensitivityAtSpecificity SpecificityAtSensitivity
  FalseNegatives FalsePositives TrueNegatives TruePositives F1Score FBetaScore IoU BinaryIoU MeanIoU OneHotIoU OneHotMeanIoU
  Mean Sum MeanMetricWrapper MeanTensor R2Score RootMeanSquaredError LogCoshError ConcordanceCorrelation PearsonCorrelation Metric
  Constant GlorotNormal GlorotUniform HeNormal HeUniform IdentityInitializer LecunNormal LecunUniform Ones Orthogonal
  OrthogonalInitializer RandomNormal RandomUniform TruncatedNormal VarianceScaling Zeros STFT STFTInitializer
  L1 L2 L1L2 OrthogonalRegularizer MaxNorm MinMaxNorm NonNeg UnitNorm RadialConstraint
  DTypePolicy FloatDTypePolicy QuantizedDTypePolicy QuantizedFloat8DTypePolicy DTypePolicyMap Policy
  __tuple__ __tensor__ __numpy__ __keras_tensor__ __typespec__ __bytes__ __slice__ __ellipsis__ __typespec__
  TensorShape TensorSpec RaggedTensorSpec SparseTensorSpec TypeSpec BoundedTensorSpec
`),
);

/**
 * Functions Keras resolves by name (activations, losses and metrics as functions):
 * safe targets of a `function` reference in a Keras namespace.
 */
export const KERAS_FUNCTIONS: ReadonlySet<string> = new Set(
  split(`
  relu relu6 sigmoid softmax tanh linear elu selu softplus softsign swish silu gelu exponential hard_sigmoid hard_silu
  hard_swish leaky_relu log_softmax mish celu glu sparse_plus squareplus tanh_shrink soft_shrink hard_shrink threshold
  hard_tanh sparsemax log_sigmoid
  mean_squared_error mse MSE mean_absolute_error mae MAE mean_absolute_percentage_error mape MAPE
  mean_squared_logarithmic_error msle MSLE binary_crossentropy categorical_crossentropy sparse_categorical_crossentropy
  binary_focal_crossentropy categorical_focal_crossentropy hinge squared_hinge categorical_hinge huber log_cosh logcosh
  kl_divergence kld KLD kullback_leibler_divergence poisson cosine_similarity ctc dice tversky circle
  accuracy acc binary_accuracy categorical_accuracy sparse_categorical_accuracy top_k_categorical_accuracy
  sparse_top_k_categorical_accuracy binary_iou
`),
);

/** Namespaces Keras resolves objects in (`module` values that need no extra import of third-party code). */
export function isKerasModule(module: string): boolean {
  return /^(keras|tf_keras|keras_hub|keras_nlp|keras_cv|tensorflow\.keras|tensorflow\.python\.keras|tensorflow\.python\.ops|tensorflow)(\.|$)/.test(module);
}
