package org.byov.inference.images;

import org.byov.inference.models.InputContract;

/** Normalises raw test pixels the way a request's raw pixel array is normalised. */
public final class ContractConverterAccess {

  private ContractConverterAccess() {}

  public static float[] normalised(double[] pixels, InputContract contract) {
    float[] values = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      values[i] = (float) pixels[i];
    }
    return ContractConverter.toContract(new DecodedImage(contract.channels(), contract.height(),
        contract.width(), values), contract);
  }
}
