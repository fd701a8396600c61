package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named arrays of one network (online or target), in creation order, all owned by one
 * long-lived {@link NDManager}. Closing the store frees every array.
 */
public final class ParameterStore implements AutoCloseable {

  private final NDManager manager;
  private final boolean trainable;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();

  /**
   * @param parent manager the store's own sub-manager is created under
   * @param trainable whether arrays with a trainable role get gradients (false for the EMA target)
   */
  public ParameterStore(NDManager parent, boolean trainable) {
    this.manager = parent.newSubManager();
    this.trainable = trainable;
  }

  /** Adds a parameter initialised from {@code values} (row-major, matching {@code shape}). */
  public Parameter add(String name, ParameterRole role, Shape shape, float[] values) {
    if (parameters.containsKey(name)) {
      throw new IllegalArgumentException("Duplicate parameter name: " + name);
    }
    NDArray array = manager.create(values, shape);
    array.setName(name);
    if (trainable && role.trainable()) {
      array.setRequiresGradient(true);
    }
    Parameter parameter = new Parameter(name, role, array);
    parameters.put(name, parameter);
    return parameter;
  }

  /** Returns the parameter called {@code name}, or throws naming it. */
  public Parameter get(String name) {
    Parameter parameter = parameters.get(name);
    if (parameter == null) {
      throw new IllegalArgumentException("No parameter named " + name);
    }
    return parameter;
  }

  public boolean contains(String name) {
    return parameters.containsKey(name);
  }

  /** Returns every parameter in creation order. */
  public List<Parameter> all() {
    return Collections.unmodifiableList(new ArrayList<>(parameters.values()));
  }

  /** Returns the parameters that the optimiser updates. */
  public List<Parameter> trainable() {
    List<Parameter> result = new ArrayList<>();
    for (Parameter parameter : parameters.values()) {
      if (trainable && parameter.role().trainable()) {
        result.add(parameter);
      }
    }
    return result;
  }

  public boolean isTrainable() {
    return trainable;
  }

  /** The manager that owns the arrays; optimiser state may live here as well. */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }
}
