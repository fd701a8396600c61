package org.byov.core.eval.corruption;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.byov.core.data.ImageSet;

/**
 * Applies a {@link Corruption} to images of shape {@code [C, H, W]} (channels, height, width,
 * row-major) with values in [0, 1].
 *
 * <p>Randomness is deterministic: each image draws from a generator seeded by the caller's seed,
 * the corruption and the image's index in its dataset, so the result does not depend on batch
 * order or threads. The severity is not part of the seed, so severities of one image share the
 * same random draws and differ only in magnitude (fewer spurious reversals between severities).
 */
public final class Corruptions {

  private Corruptions() {}

  /**
   * Corrupts one image.
   *
   * @param image values in [0, 1], {@code [C, H, W]} row-major; not modified
   * @param severity 1 to 5
   * @param seed evaluation seed
   * @param imageIndex index of the image in its dataset, part of its random seed
   * @return a new array of the same shape, clipped to [0, 1]
   */
  public static float[] corrupt(
      float[] image, int channels, int height, int width, Corruption corruption, int severity,
      long seed, long imageIndex) {
    requireImage(image, channels, height, width);
    Corruption.requireSeverity(severity);
    double c = corruption.parameter(severity);
    SplittableRandom random = new SplittableRandom(imageSeed(seed, corruption, imageIndex));

    float[] output = switch (corruption) {
      case GAUSSIAN_NOISE -> gaussianNoise(image, c, random);
      case SHOT_NOISE -> shotNoise(image, c, random);
      case IMPULSE_NOISE -> impulseNoise(image, c, random);
      case GAUSSIAN_BLUR -> Filters.gaussianBlur(image, channels, height, width, c);
      case CONTRAST -> contrast(image, channels, height * width, c);
      case BRIGHTNESS -> brightness(image, channels, height * width, c);
      case PIXELATE -> Filters.pixelate(image, channels, height, width, c);
    };
    for (int i = 0; i < output.length; i++) {
      output[i] = Math.min(1f, Math.max(0f, output[i]));
    }
    return output;
  }

  /**
   * Corrupts every image of a set. Pixels are scaled to [0, 1], corrupted, then scaled back to
   * 0..255, rounded to the nearest integer and clipped. The images are processed in parallel.
   * The result's name gains the suffix {@code /<corruption id>-<severity>}, and its fingerprint
   * is the SHA-256 of the source fingerprint, corruption, severity and seed.
   */
  public static ImageSet corrupt(ImageSet images, Corruption corruption, int severity, long seed) {
    Corruption.requireSeverity(severity);
    int size = images.imageSize();
    byte[] pixels = new byte[images.pixels().length];
    IntStream.range(0, images.count()).parallel().forEach(index -> {
      float[] image = new float[size];
      int offset = index * size;
      for (int p = 0; p < size; p++) {
        image[p] = (images.pixels()[offset + p] & 0xFF) / 255f;
      }
      float[] corrupted = corrupt(image, images.channels(), images.height(), images.width(),
          corruption, severity, seed, index);
      for (int p = 0; p < size; p++) {
        pixels[offset + p] = (byte) Math.round(corrupted[p] * 255f);
      }
    });
    String name = images.name() + "/" + corruption.id() + "-" + severity;
    String fingerprint = sha256(images.fingerprint() + "|" + corruption.id() + "|" + severity
        + "|" + seed);
    return new ImageSet(name, images.count(), images.channels(), images.height(), images.width(),
        pixels, images.labels().clone(), images.classNames(), fingerprint);
  }

  /** Mixes the seed, corruption and image index into one 64-bit seed (SplitMix64 finaliser). */
  static long imageSeed(long seed, Corruption corruption, long imageIndex) {
    long state = mix(seed);
    state = mix(state ^ (corruption.ordinal() + 1) * 0x9E3779B97F4A7C15L);
    return mix(state ^ imageIndex * 0xC2B2AE3D27D4EB4FL);
  }

  private static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static float[] gaussianNoise(float[] image, double std, SplittableRandom random) {
    float[] output = new float[image.length];
    for (int i = 0; i < image.length; i++) {
      output[i] = (float) (image[i] + std * random.nextGaussian());
    }
    return output;
  }

  private static float[] shotNoise(float[] image, double photons, SplittableRandom random) {
    float[] output = new float[image.length];
    for (int i = 0; i < image.length; i++) {
      output[i] = (float) (poisson(image[i] * photons, random) / photons);
    }
    return output;
  }

  /**
   * Replaces a fraction of values by 0 or 1, deciding per value as scikit-image's
   * {@code random_noise(mode='s&p')} does. Both draws are made for every value, so a value
   * replaced at one amount is also replaced at every larger amount.
   */
  private static float[] impulseNoise(float[] image, double amount, SplittableRandom random) {
    float[] output = new float[image.length];
    for (int i = 0; i < image.length; i++) {
      boolean replaced = random.nextDouble() < amount;
      boolean salt = random.nextBoolean();
      if (!replaced) {
        output[i] = image[i];
      } else {
        output[i] = salt ? 1f : 0f;
      }
    }
    return output;
  }

  private static float[] contrast(float[] image, int channels, int plane, double factor) {
    float[] output = new float[image.length];
    for (int c = 0; c < channels; c++) {
      double mean = 0;
      for (int p = 0; p < plane; p++) {
        mean += image[c * plane + p];
      }
      mean /= plane;
      for (int p = 0; p < plane; p++) {
        output[c * plane + p] = (float) ((image[c * plane + p] - mean) * factor + mean);
      }
    }
    return output;
  }

  /**
   * Raises the HSV value V = max over channels by {@code delta}, clipped at 1, keeping hue and
   * saturation: every channel is scaled by V' / V, and a black pixel (V = 0, saturation 0)
   * becomes grey V'. With one channel this adds delta to the intensity.
   */
  private static float[] brightness(float[] image, int channels, int plane, double delta) {
    float[] output = new float[image.length];
    for (int p = 0; p < plane; p++) {
      double value = 0;
      for (int c = 0; c < channels; c++) {
        value = Math.max(value, image[c * plane + p]);
      }
      double raised = Math.min(1, value + delta);
      for (int c = 0; c < channels; c++) {
        double channel = image[c * plane + p];
        output[c * plane + p] = (float) (value > 0 ? channel * raised / value : raised);
      }
    }
    return output;
  }

  /**
   * Draws from Poisson(mean) by inversion of the cumulative distribution. Means above 500 are
   * split into a sum of Poisson draws so that exp(-mean) cannot underflow.
   */
  static long poisson(double mean, SplittableRandom random) {
    long total = 0;
    double remaining = mean;
    while (remaining > 500) {
      total += poissonByInversion(500, random);
      remaining -= 500;
    }
    return total + poissonByInversion(remaining, random);
  }

  private static long poissonByInversion(double mean, SplittableRandom random) {
    if (mean <= 0) {
      return 0;
    }
    double u = random.nextDouble();
    long k = 0;
    double probability = Math.exp(-mean);
    double cumulative = probability;
    while (u > cumulative) {
      k++;
      probability *= mean / k;
      if (probability == 0 && k > mean) {
        // The remaining tail mass is below double precision, so stop at this k.
        break;
      }
      cumulative += probability;
    }
    return k;
  }

  private static void requireImage(float[] image, int channels, int height, int width) {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("invalid image shape [" + channels + ", " + height
          + ", " + width + "]; every dimension must be positive");
    }
    if (image == null || image.length != channels * height * width) {
      throw new IllegalArgumentException("image has " + (image == null ? "no" : image.length)
          + " values but shape [" + channels + ", " + height + ", " + width + "] needs "
          + channels * height * width);
    }
    for (int i = 0; i < image.length; i++) {
      if (!(image[i] >= 0 && image[i] <= 1)) {
        throw new IllegalArgumentException(
            "image value " + i + " is " + image[i] + "; expected a value in [0, 1]");
      }
    }
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
