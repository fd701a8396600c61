package org.byov.inference.oip;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.byov.inference.images.ImageInput;
import org.byov.inference.images.ImageLimits;
import org.byov.inference.models.ServingModel;
import org.byov.inference.web.InferenceProblem;
import org.byov.inference.web.RequestFields;

/**
 * Validates an Open Inference Protocol v2 inference request and turns it into the inputs of
 * {@link org.byov.inference.web.InferenceService}. Every rejection is a 400 or 413 whose field
 * names the request field as the client wrote it, for example {@code inputs[0].shape}, {@code
 * parameters.seed} or {@code outputs[1].name}.
 */
final class OipRequestValidator {

  static final String INPUT_NAME = "images";
  static final List<String> EMBEDDING_OUTPUTS = List.of("mean", "variance", "total_variance");
  static final List<String> PREDICTION_OUTPUTS = List.of("probabilities", "predicted_class",
      "predictive_entropy", "mutual_information", "abstain");

  private static final String INPUT = "inputs[0]";

  private final ImageLimits limits;

  OipRequestValidator(ImageLimits limits) {
    this.limits = limits;
  }

  /**
   * The validated request: one raw image per batch entry, the optional sample count and seed, and
   * the field names that problems found later (bad pixel values, for example) should carry.
   */
  record InferenceInputs(List<ImageInput> images, Integer samples, Long seed,
      RequestFields fields) {}

  /**
   * Validates everything in {@code request} that does not depend on the model: the input tensor,
   * the parameters and the form of the {@code outputs} list. {@link #selectOutputs} checks the
   * output names once the model is known.
   */
  InferenceInputs validate(OipInferRequest request) {
    OipInferRequest.Input input = singleInput(request);
    long[] shape = checkShape(input.shape());
    List<ImageInput> images = splitImages(input.data(), shape);
    Integer samples = sampleCount(request);
    Long seed = seed(request);
    checkOutputList(request);
    return new InferenceInputs(images, samples, seed, new TensorFields(shape[1] * shape[2]
        * shape[3]));
  }

  /**
   * Returns the names of the outputs to compute: those the request lists, or every output of
   * {@code model} when it lists none. Rejects a name that {@code model} does not produce.
   */
  static Set<String> selectOutputs(OipInferRequest request, ServingModel model) {
    List<String> available = outputNames(model);
    if (request.outputs() == null || request.outputs().isEmpty()) {
      return new LinkedHashSet<>(available);
    }
    Set<String> selected = new LinkedHashSet<>();
    for (int i = 0; i < request.outputs().size(); i++) {
      String name = request.outputs().get(i).name();
      if (available.contains(name)) {
        selected.add(name);
      } else if (PREDICTION_OUTPUTS.contains(name)) {
        throw InferenceProblem.invalidField("outputs[" + i + "].name", "Model '"
            + model.info().name() + "' version " + model.info().version() + " has no prediction"
            + " head (no classifier and no linear probe file), so it has no output '" + name
            + "'; request one of " + String.join(", ", available) + ", or omit outputs");
      } else {
        throw InferenceProblem.invalidField("outputs[" + i + "].name", "Unknown output '" + name
            + "'; the outputs of model '" + model.info().name() + "' are "
            + String.join(", ", available));
      }
    }
    return selected;
  }

  /** Returns the names of the outputs that {@code model} produces, in reply order. */
  static List<String> outputNames(ServingModel model) {
    if (model.head() == null) {
      return EMBEDDING_OUTPUTS;
    }
    return Stream.concat(EMBEDDING_OUTPUTS.stream(), PREDICTION_OUTPUTS.stream()).toList();
  }

  private static OipInferRequest.Input singleInput(OipInferRequest request) {
    if (request.inputs() == null || request.inputs().size() != 1) {
      throw InferenceProblem.invalidField("inputs", "Send exactly one input tensor named "
          + INPUT_NAME + " (FP32, shape [B, C, H, W], values in 0..1)");
    }
    OipInferRequest.Input input = request.inputs().get(0);
    if (input == null) {
      throw InferenceProblem.invalidField(INPUT, "The input tensor is null; send {\"name\": \""
          + INPUT_NAME + "\", \"datatype\": \"FP32\", \"shape\": [B, C, H, W], \"data\": [...]}");
    }
    if (!INPUT_NAME.equals(input.name())) {
      throw InferenceProblem.invalidField(INPUT + ".name", "Unknown input '" + input.name()
          + "'; the input is called " + INPUT_NAME);
    }
    if (input.datatype() == null) {
      throw InferenceProblem.invalidField(INPUT + ".datatype", "The datatype is missing; send"
          + " \"datatype\": \"FP32\"");
    }
    if (!"FP32".equals(input.datatype())) {
      throw InferenceProblem.invalidField(INPUT + ".datatype", "Unsupported datatype "
          + input.datatype() + "; send FP32 values in 0..1");
    }
    return input;
  }

  /** Returns the shape {@code [B, C, H, W]} once each dimension is a valid integer. */
  private long[] checkShape(double[] shape) {
    String field = INPUT + ".shape";
    if (shape == null || shape.length != 4) {
      throw InferenceProblem.invalidField(field, "Invalid shape " + format(shape) + "; the shape"
          + " must be [B, C, H, W], for example [1, 1, 28, 28] for one 28 x 28 grayscale image");
    }
    long[] dims = new long[4];
    for (int i = 0; i < 4; i++) {
      double dim = shape[i];
      if (!(dim >= 1 && dim <= Integer.MAX_VALUE) || dim != Math.rint(dim)) {
        throw InferenceProblem.invalidField(field, "Invalid shape " + format(shape) + "; every"
            + " dimension must be an integer from 1 to " + Integer.MAX_VALUE);
      }
      dims[i] = (long) dim;
    }
    if (dims[1] != 1 && dims[1] != 3) {
      throw InferenceProblem.invalidField(field, "Invalid shape " + format(shape) + "; the"
          + " channel count C in [B, C, H, W] must be 1 (grayscale) or 3 (RGB)");
    }
    if (dims[0] > limits.maxImagesPerRequest()) {
      throw InferenceProblem.tooLarge(field, dims[0] + " images is over the limit of "
          + limits.maxImagesPerRequest() + " per request; split the request");
    }
    if (dims[2] * dims[3] > limits.maxPixelsPerImage()) {
      throw InferenceProblem.tooLarge(field, "The images are " + dims[3] + " x " + dims[2]
          + " pixels, over the limit of " + limits.maxPixelsPerImage());
    }
    return dims;
  }

  /** Splits the data of shape {@code [B, C, H, W]} into B raw images, checking the count. */
  private static List<ImageInput> splitImages(double[] data, long[] shape) {
    long perImage = shape[1] * shape[2] * shape[3];
    if (data == null || data.length != shape[0] * perImage) {
      throw InferenceProblem.invalidField(INPUT + ".data", "Wrong element count "
          + (data == null ? 0 : data.length) + "; the shape " + Arrays.toString(shape)
          + " needs " + shape[0] * perImage);
    }
    List<ImageInput> images = new ArrayList<>();
    for (int b = 0; b < shape[0]; b++) {
      double[] pixels = Arrays.copyOfRange(data, (int) (b * perImage),
          (int) ((b + 1) * perImage));
      images.add(new ImageInput(null, pixels, new int[] {(int) shape[1], (int) shape[2],
          (int) shape[3]}));
    }
    return images;
  }

  private Integer sampleCount(OipInferRequest request) {
    Object value = parameter(request, "samples");
    if (value == null) {
      return null;
    }
    Long count = int64(value);
    if (count == null || count < Integer.MIN_VALUE || count > Integer.MAX_VALUE) {
      throw InferenceProblem.invalidField("parameters.samples", "Invalid sample count " + value
          + "; send an integer from 1 to " + limits.maxSamples() + ", or omit it for the default"
          + " of " + limits.defaultSamples());
    }
    return count.intValue();
  }

  private static Long seed(OipInferRequest request) {
    Object value = parameter(request, "seed");
    if (value == null) {
      return null;
    }
    Long seed = int64(value);
    if (seed == null) {
      throw InferenceProblem.invalidField("parameters.seed", "Invalid seed " + value + "; send an"
          + " integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE + " (INT64), or omit it"
          + " for a random seed");
    }
    return seed;
  }

  private static Object parameter(OipInferRequest request, String name) {
    return request.parameters() == null ? null : request.parameters().get(name);
  }

  /**
   * Returns {@code value} when it is a JSON integer in the INT64 range, else null. Jackson reads
   * an integer beyond that range as a {@link BigInteger} and a fraction as a Double or BigDecimal.
   */
  private static Long int64(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big && big.bitLength() < Long.SIZE) {
      return big.longValue();
    }
    return null;
  }

  /** Rejects an {@code outputs} entry that is null or has no name, before inference runs. */
  private static void checkOutputList(OipInferRequest request) {
    if (request.outputs() == null) {
      return;
    }
    for (int i = 0; i < request.outputs().size(); i++) {
      OipInferRequest.RequestedOutput output = request.outputs().get(i);
      if (output == null) {
        throw InferenceProblem.invalidField("outputs[" + i + "]", "The output is null; send"
            + " {\"name\": \"mean\"}, for example, or omit outputs to get every output");
      }
      if (output.name() == null || output.name().isBlank()) {
        throw InferenceProblem.invalidField("outputs[" + i + "].name", "The output name is"
            + " missing; name one of the outputs that GET /v2/models/{name} lists");
      }
    }
  }

  /** Prints a shape with integral dimensions as integers, for example {@code [1, 1, 28.5, 28]}. */
  private static String format(double[] shape) {
    if (shape == null) {
      return "null";
    }
    return Arrays.stream(shape)
        .mapToObj(dim -> dim == Math.rint(dim) && Math.abs(dim) < 1e15
            ? Long.toString((long) dim) : Double.toString(dim))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * Points problems about the B images at the input tensor: an image's shape at {@code
   * inputs[0].shape} and pixel p of image b at {@code inputs[0].data[b * C * H * W + p]}.
   */
  private record TensorFields(long valuesPerImage) implements RequestFields {

    @Override
    public String samples() {
      return "parameters.samples";
    }

    @Override
    public String images() {
      return INPUT + ".shape";
    }

    @Override
    public String image(int index) {
      return INPUT;
    }

    @Override
    public String encoded(int index) {
      return INPUT + ".data";
    }

    @Override
    public String shape(int index) {
      return INPUT + ".shape";
    }

    @Override
    public String pixels(int index) {
      return INPUT + ".data";
    }

    @Override
    public String pixel(int index, int offset) {
      return INPUT + ".data[" + (index * valuesPerImage + offset) + "]";
    }
  }
}
