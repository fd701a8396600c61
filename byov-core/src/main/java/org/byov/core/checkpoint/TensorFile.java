package org.byov.core.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes named float32 tensors in one binary file. Layout (big-endian headers,
 * little-endian values): the magic {@code BYOVTNSR}, an int version (1), an int tensor count, then
 * per tensor the UTF-8 name (int length + bytes), an int rank, {@code rank} long dimensions and
 * the values as little-endian float32. docs/checkpoints.md describes the format.
 */
public final class TensorFile {

  static final byte[] MAGIC = "BYOVTNSR".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  private static final int MAX_NAME_BYTES = 4096;
  private static final int MAX_RANK = 8;

  private TensorFile() {}

  /** Writes {@code tensors} in iteration order to {@code file}, replacing it. */
  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    try (OutputStream stream = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16))) {
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(tensors.size());
      for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
        byte[] name = entry.getKey().getBytes(StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
        long[] shape = entry.getValue().shape();
        out.writeInt(shape.length);
        for (long dimension : shape) {
          out.writeLong(dimension);
        }
        float[] values = entry.getValue().values();
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
      }
    }
  }

  /** Reads every tensor of {@code file}, in file order; a malformed file fails naming it. */
  public static Map<String, Tensor> read(Path file) throws IOException {
    try (InputStream stream = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + " is not a BYOV tensor file (wrong magic bytes)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(file + " has tensor file version " + version + "; this build reads "
            + VERSION);
      }
      int count = in.readInt();
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = readName(in, file);
        tensors.put(name, readTensor(in, file, name));
      }
      return tensors;
    } catch (EOFException e) {
      throw new IOException(file + " is truncated", e);
    }
  }

  private static String readName(DataInputStream in, Path file) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_NAME_BYTES) {
      throw new IOException(file + " has an invalid tensor name length " + length);
    }
    byte[] name = new byte[length];
    in.readFully(name);
    return new String(name, StandardCharsets.UTF_8);
  }

  private static Tensor readTensor(DataInputStream in, Path file, String name) throws IOException {
    int rank = in.readInt();
    if (rank < 0 || rank > MAX_RANK) {
      throw new IOException(file + ": tensor " + name + " has invalid rank " + rank);
    }
    long[] shape = new long[rank];
    long size = 1;
    for (int d = 0; d < rank; d++) {
      shape[d] = in.readLong();
      size *= shape[d];
      if (shape[d] < 0 || size > Integer.MAX_VALUE / 4) {
        throw new IOException(file + ": tensor " + name + " has invalid dimension " + shape[d]);
      }
    }
    byte[] bytes = new byte[(int) size * 4];
    in.readFully(bytes);
    float[] values = new float[(int) size];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return new Tensor(shape, values);
  }
}
