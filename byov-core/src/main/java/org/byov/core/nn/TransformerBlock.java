package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * A pre-norm transformer block on tokens {@code [N, T, d]}:
 * {@code x = x + proj(attention(qkv(layerNorm1(x))))}, then
 * {@code x = x + fc2(gelu(fc1(layerNorm2(x))))}. Attention is multi-head scaled dot-product
 * attention, {@code softmax(q k^T / sqrt(d / heads)) v} per head. Its four weight layers (qkv
 * d -> 3d, proj d -> d, fc1 d -> mlpWidth, fc2 mlpWidth -> d) are Bayesian when the block is in
 * the Bayesian scope. The LayerNorms stay deterministic.
 */
final class TransformerBlock implements Layer {

  private final int width;
  private final int heads;
  private final Layer norm1;
  private final Layer qkv;
  private final Layer projection;
  private final Layer norm2;
  private final Layer fc1;
  private final Layer fc2;

  TransformerBlock(LayerFactory factory, String name, int width, int heads, int mlpWidth,
      boolean bayesian) {
    this.width = width;
    this.heads = heads;
    this.norm1 = new LayerNormLayer(factory.store(), name + ".norm1", width);
    this.qkv = factory.linear(name + ".attention.qkv", width, 3 * width, bayesian);
    this.projection = factory.linear(name + ".attention.proj", width, width, bayesian);
    this.norm2 = new LayerNormLayer(factory.store(), name + ".norm2", width);
    this.fc1 = factory.linear(name + ".mlp.fc1", width, mlpWidth, bayesian);
    this.fc2 = factory.linear(name + ".mlp.fc2", mlpWidth, width, bayesian);
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    NDArray x = input.add(attention(norm1.forward(input, pass), pass));
    NDArray hidden = Activation.gelu(fc1.forward(norm2.forward(x, pass), pass));
    return x.add(fc2.forward(hidden, pass));
  }

  /** Multi-head self-attention of tokens {@code [N, T, d]}, returning {@code [N, T, d]}. */
  private NDArray attention(NDArray tokens, ForwardPass pass) {
    Shape shape = tokens.getShape();
    long batch = shape.get(0);
    long count = shape.get(1);
    int headWidth = width / heads;

    // [N, T, 3d] -> [3, N, heads, T, headWidth]
    NDArray qkvHeads = qkv.forward(tokens, pass)
        .reshape(batch, count, 3, heads, headWidth)
        .transpose(2, 0, 3, 1, 4);
    NDArray query = qkvHeads.get(0);
    NDArray key = qkvHeads.get(1);
    NDArray value = qkvHeads.get(2);

    NDArray scores = Scalars.times(query.matMul(key.transpose(0, 1, 3, 2)),
        1.0 / Math.sqrt(headWidth));
    NDArray mixed = scores.softmax(-1).matMul(value);
    NDArray merged = mixed.transpose(0, 2, 1, 3).reshape(batch, count, width);
    return projection.forward(merged, pass);
  }
}
