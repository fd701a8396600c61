package org.byov.inference.oip;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A tensor of the Open Inference Protocol v2: its name, shape, datatype and its data flattened in
 * row-major order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OipTensor(String name, long[] shape, String datatype, List<?> data) {}
