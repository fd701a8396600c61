package org.byov.common.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Encoder backbone of a run. */
public enum Backbone {
  /** Small CNN for 28x28 grayscale images. */
  @JsonProperty("cnn")
  CNN,
  /** CIFAR-style ResNet-18 for 32x32 images. */
  @JsonProperty("resnet18")
  RESNET18,
  /** Small vision transformer. */
  @JsonProperty("vit")
  VIT
}
