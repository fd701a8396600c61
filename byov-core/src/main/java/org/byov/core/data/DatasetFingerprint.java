package org.byov.core.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the SHA-256 fingerprint of the files a dataset split was read from.
 *
 * <p>The fingerprint is the SHA-256 (hex) of the text that {@code sha256sum} prints for the files
 * in name order: one line {@code <content SHA-256 hex>  <name>\n} per file. Names are relative to
 * the dataset directory with {@code /} as separator and are sorted by Java string order, which for
 * ASCII names matches {@code LC_ALL=C sort}. So, for an IDX split,
 * {@code cd DIR && sha256sum train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz | sha256sum}
 * prints the same value. A change of any byte, file name or file set changes the fingerprint.
 */
public final class DatasetFingerprint {

  private final Map<String, String> contentDigests = new TreeMap<>();

  /** Adds one file by its name relative to the dataset directory and its content. */
  public DatasetFingerprint add(String name, byte[] content) {
    if (name.isEmpty() || name.contains("\n")) {
      throw new IllegalArgumentException("Invalid file name for a fingerprint: '" + name + "'");
    }
    String previous = contentDigests.putIfAbsent(name, sha256Hex(content));
    if (previous != null) {
      throw new IllegalArgumentException("File " + name + " was added to the fingerprint twice");
    }
    return this;
  }

  /** Returns the fingerprint of the files added so far, as 64 lower-case hex digits. */
  public String hex() {
    StringBuilder listing = new StringBuilder();
    contentDigests.forEach(
        (name, digest) -> listing.append(digest).append("  ").append(name).append('\n'));
    return sha256Hex(listing.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String sha256Hex(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime provides SHA-256", e);
    }
  }
}
