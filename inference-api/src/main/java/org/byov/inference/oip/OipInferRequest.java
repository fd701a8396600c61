package org.byov.inference.oip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol v2 inference request. The one input, {@code images}, is FP32 of shape
 * {@code [B, C, H, W]} with values in 0..1; {@code parameters} may carry {@code samples} and
 * {@code seed}; {@code outputs} may name the outputs wanted (all when omitted). Unknown fields
 * are ignored, because the protocol allows fields this service does not use, such as a tensor's
 * {@code parameters}; the /v1 requests reject them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OipInferRequest(String id, Map<String, Object> parameters, List<Input> inputs,
    List<RequestedOutput> outputs) {

  /**
   * One input tensor. The shape is read as doubles so that {@link OipRequestValidator} can reject
   * a fractional dimension such as 28.5, which Jackson would truncate when reading a long.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Input(String name,
      @ArraySchema(schema = @Schema(type = "integer", format = "int64")) double[] shape,
      String datatype, double[] data) {}

  /** One requested output, by name. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RequestedOutput(String name) {}
}
