package org.byov.inference.images;

import java.util.List;
import org.byov.inference.models.InputContract;
import org.byov.inference.web.InferenceProblem;
import org.byov.inference.web.RequestFields;
import org.springframework.stereotype.Component;

/**
 * Turns the images of a request into normalised model inputs, checking each against the limits
 * and the model's input contract. Every rejection names the field, for example {@code
 * images[3].pixels}, and what was expected.
 */
@Component
public class ImagePreparer {

  private final ImageLimits limits;
  private final ImageDecoder decoder;

  public ImagePreparer(ImageLimits limits) {
    this.limits = limits;
    this.decoder = new ImageDecoder(limits.maxPixelsPerImage());
  }

  /** Returns one normalised image {@code [C * H * W]} per input, naming /v1 fields. */
  public float[][] prepare(List<ImageInput> images, InputContract contract) {
    return prepare(images, contract, RequestFields.V1);
  }

  /**
   * Returns one normalised image {@code [C * H * W]} per input. Problems name the request field
   * through {@code fields}.
   */
  public float[][] prepare(List<ImageInput> images, InputContract contract,
      RequestFields fields) {
    checkCount(images, fields);
    float[][] prepared = new float[images.size()][];
    for (int i = 0; i < images.size(); i++) {
      prepared[i] = ContractConverter.toContract(decode(images.get(i), i, contract, fields),
          contract);
    }
    return prepared;
  }

  private void checkCount(List<ImageInput> images, RequestFields fields) {
    if (images == null || images.isEmpty()) {
      throw InferenceProblem.invalidField(fields.images(),
          "At least one image is required; send 1 to " + limits.maxImagesPerRequest());
    }
    if (images.size() > limits.maxImagesPerRequest()) {
      throw InferenceProblem.tooLarge(fields.images(), images.size() + " images is over the limit"
          + " of " + limits.maxImagesPerRequest() + " per request; split the request");
    }
  }

  private DecodedImage decode(ImageInput image, int index, InputContract contract,
      RequestFields fields) {
    String field = fields.image(index);
    if (image == null) {
      throw InferenceProblem.invalidField(field, "The image is null; send {\"data\": base64} or"
          + " {\"pixels\": [...]}");
    }
    boolean hasData = image.data() != null;
    boolean hasPixels = image.pixels() != null;
    if (hasData == hasPixels) {
      throw InferenceProblem.invalidField(field, "Send exactly one of data (base64 PNG or JPEG)"
          + " and pixels (raw values in 0..1)");
    }
    if (hasData) {
      return decoder.decode(image.data(), fields.encoded(index));
    }
    return rawPixels(image, index, contract, fields);
  }

  private DecodedImage rawPixels(ImageInput image, int index, InputContract contract,
      RequestFields fields) {
    int[] shape = image.shape() != null
        ? image.shape()
        : new int[] {contract.channels(), contract.height(), contract.width()};
    if (shape.length != 3 || (shape[0] != 1 && shape[0] != 3) || shape[1] < 1 || shape[2] < 1) {
      throw InferenceProblem.invalidField(fields.shape(index), "Invalid shape "
          + java.util.Arrays.toString(shape) + "; expected [C, H, W] with C = 1 or 3, for example ["
          + contract.channels() + ", " + contract.height() + ", " + contract.width() + "]");
    }
    long expected = (long) shape[0] * shape[1] * shape[2];
    if ((long) shape[1] * shape[2] > limits.maxPixelsPerImage()) {
      throw InferenceProblem.tooLarge(fields.shape(index), "The image is " + shape[2] + " x "
          + shape[1] + " pixels, over the limit of " + limits.maxPixelsPerImage());
    }
    double[] pixels = image.pixels();
    if (pixels.length != expected) {
      throw InferenceProblem.invalidField(fields.pixels(index), "Wrong pixel count "
          + pixels.length + "; expected " + expected + " = " + shape[0] + " x " + shape[1]
          + " x " + shape[2] + " values in channel-major order [C, H, W]");
    }
    float[] values = new float[pixels.length];
    for (int p = 0; p < pixels.length; p++) {
      double value = pixels[p];
      if (!(value >= 0 && value <= 1)) {
        throw InferenceProblem.invalidField(fields.pixel(index, p), "Invalid pixel value "
            + value + "; pixel values must be finite and in 0..1 (divide 8-bit values by 255)");
      }
      values[p] = (float) value;
    }
    return new DecodedImage(shape[0], shape[1], shape[2], values);
  }

  public ImageLimits limits() {
    return limits;
  }
}
