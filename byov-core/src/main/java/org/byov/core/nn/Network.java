package org.byov.core.nn;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * An encoder with its heads and the {@link ParameterStore} holding all their parameters. The
 * projector maps 256 -> 512 -> 128 and the predictor 128 -> 512 -> 128; the classifier of
 * {@code supervised-bbb} is one fully connected layer, Bayesian whenever the scope is not
 * {@code none}.
 */
public final class Network implements AutoCloseable {

  public static final int PROJECTOR_HIDDEN = 512;
  public static final int PROJECTION_DIM = 128;
  public static final int PREDICTOR_HIDDEN = 512;

  /** Which heads a network carries. */
  public enum Heads {
    /** Encoder, projector and predictor: the online network of BYOL and BYOV. */
    ONLINE_BYOL,
    /** Encoder and projector: the EMA target. */
    TARGET_BYOL,
    /** Encoder and classifier: supervised Bayes by Backprop. */
    CLASSIFIER,
    /** The encoder alone: a loaded model for embeddings. */
    ENCODER
  }

  private final ParameterStore store;
  private final NetworkLayout layout;
  private final Encoder encoder;
  private final Mlp projector;
  private final Mlp predictor;
  private final Layer classifier;
  private final List<BayesianLayer> bayesianLayers;

  private Network(ParameterStore store, NetworkLayout layout, Encoder encoder, Mlp projector,
      Mlp predictor, Layer classifier, List<BayesianLayer> bayesianLayers) {
    this.store = store;
    this.layout = layout;
    this.encoder = encoder;
    this.projector = projector;
    this.predictor = predictor;
    this.classifier = classifier;
    this.bayesianLayers = List.copyOf(bayesianLayers);
  }

  /**
   * Builds a network with freshly initialised parameters in a new store under {@code parent}.
   *
   * @param kind {@link LayerFactory.Kind#ONLINE} for a trainable network (rho, gradients),
   *     {@link LayerFactory.Kind#FROZEN} for a target or a loaded model (sigma, no gradients)
   * @param seed seed of the initial values
   */
  public static Network build(NDManager parent, NetworkLayout layout, Heads heads,
      LayerFactory.Kind kind, long seed) {
    ParameterStore store = new ParameterStore(parent, kind == LayerFactory.Kind.ONLINE);
    try {
      LayerFactory factory = new LayerFactory(store, kind, new Initializer(seed));
      Backbone backbone = Backbones.byName(layout.backbone());
      Encoder encoder = Encoder.build(backbone, layout.input(), layout.scope(), factory);
      Mlp projector = null;
      Mlp predictor = null;
      Layer classifier = null;
      if (heads == Heads.ONLINE_BYOL || heads == Heads.TARGET_BYOL) {
        projector = new Mlp(factory, "projector", encoder.embeddingDim(), PROJECTOR_HIDDEN,
            PROJECTION_DIM);
      }
      if (heads == Heads.ONLINE_BYOL) {
        predictor = new Mlp(factory, "predictor", PROJECTION_DIM, PREDICTOR_HIDDEN,
            PROJECTION_DIM);
      }
      if (heads == Heads.CLASSIFIER) {
        if (layout.classes() < 2) {
          throw new IllegalArgumentException(
              "A classifier needs at least 2 classes, got " + layout.classes());
        }
        boolean bayesian = layout.scope().kind() != BayesianScope.Kind.NONE;
        classifier = factory.linear("classifier", encoder.embeddingDim(), layout.classes(),
            bayesian);
      }
      return new Network(store, layout, encoder, projector, predictor, classifier,
          factory.bayesianLayers());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  public ParameterStore store() {
    return store;
  }

  public NetworkLayout layout() {
    return layout;
  }

  public Encoder encoder() {
    return encoder;
  }

  /** The projector, or null for a network without one. */
  public Mlp projector() {
    return projector;
  }

  /** The predictor, or null for a network without one. */
  public Mlp predictor() {
    return predictor;
  }

  /** The classifier, or null for a network without one. */
  public Layer classifier() {
    return classifier;
  }

  /** Every Bayesian layer: the encoder's tail, then the classifier if it is Bayesian. */
  public List<BayesianLayer> bayesianLayers() {
    return bayesianLayers;
  }

  @Override
  public void close() {
    store.close();
  }
}
