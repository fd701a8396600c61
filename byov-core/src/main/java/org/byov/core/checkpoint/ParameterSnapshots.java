package org.byov.core.checkpoint;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterStore;

/** Copies parameter stores to and from {@link Tensor} maps. */
public final class ParameterSnapshots {

  private ParameterSnapshots() {}

  /** Returns a copy of every parameter of {@code store}, by name, in creation order. */
  public static Map<String, Tensor> of(ParameterStore store) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Parameter parameter : store.all()) {
      tensors.put(parameter.name(), of(parameter.array()));
    }
    return tensors;
  }

  /** Returns a copy of one array. */
  public static Tensor of(NDArray array) {
    return new Tensor(array.getShape().getShape(), array.toFloatArray());
  }

  /**
   * Copies every parameter of {@code store} from {@code tensors}; a missing name or a different
   * shape fails naming the parameter and {@code source}.
   */
  public static void restore(ParameterStore store, Map<String, Tensor> tensors, String source) {
    for (Parameter parameter : store.all()) {
      Tensor tensor = tensors.get(parameter.name());
      if (tensor == null) {
        throw new IllegalArgumentException(source + " has no tensor " + parameter.name());
      }
      restore(parameter, tensor, source);
    }
  }

  /** Copies one tensor into a parameter after checking its shape. */
  public static void restore(Parameter parameter, Tensor tensor, String source) {
    long[] expected = parameter.array().getShape().getShape();
    if (!Arrays.equals(expected, tensor.shape())) {
      throw new IllegalArgumentException(source + ": tensor " + parameter.name() + " has shape "
          + Arrays.toString(tensor.shape()) + ", the network expects " + Arrays.toString(expected));
    }
    parameter.assign(tensor.values());
  }
}
