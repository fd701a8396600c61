package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * One named array of a network. Optimiser steps, EMA updates and checkpoint loads change the
 * array's contents in place, so layers holding this object always see the current values.
 */
public final class Parameter {

  private final String name;
  private final ParameterRole role;
  private final NDArray array;

  Parameter(String name, ParameterRole role, NDArray array) {
    this.name = Objects.requireNonNull(name, "name");
    this.role = Objects.requireNonNull(role, "role");
    this.array = Objects.requireNonNull(array, "array");
  }

  public String name() {
    return name;
  }

  public ParameterRole role() {
    return role;
  }

  /** The live array; owned by the {@link ParameterStore}'s manager, never close it. */
  public NDArray array() {
    return array;
  }

  /** Copies {@code values} into this parameter in place; the shapes must match. */
  public void assign(float[] values) {
    if (values.length != array.size()) {
      throw new IllegalArgumentException(
          "Parameter " + name + " has " + array.size() + " values " + array.getShape()
              + ", got " + values.length);
    }
    array.set(values);
  }
}
