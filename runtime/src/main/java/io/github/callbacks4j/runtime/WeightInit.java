package io.github.callbacks4j.runtime;

import org.nd4j.weightinit.WeightInitScheme;
import org.nd4j.weightinit.impl.LecunUniformInitScheme;
import org.nd4j.weightinit.impl.ReluInitScheme;
import org.nd4j.weightinit.impl.ReluUniformInitScheme;
import org.nd4j.weightinit.impl.XavierInitScheme;
import org.nd4j.weightinit.impl.XavierUniformInitScheme;
import org.nd4j.weightinit.impl.ZeroInitScheme;

/** How a {@link Dense} layer's kernel starts; each maps to ND4J's {@link WeightInitScheme}. */
public enum WeightInit {
  /** Keras's default {@code glorot_uniform}. */
  XAVIER_UNIFORM {
    @Override
    WeightInitScheme scheme(int fanIn, int fanOut) {
      return new XavierUniformInitScheme('c', fanIn, fanOut);
    }
  },
  /** {@code glorot_normal}. */
  XAVIER {
    @Override
    WeightInitScheme scheme(int fanIn, int fanOut) {
      return new XavierInitScheme('c', fanIn, fanOut);
    }
  },
  /** {@code he_normal}, for ReLU layers. */
  RELU {
    @Override
    WeightInitScheme scheme(int fanIn, int fanOut) {
      return new ReluInitScheme('c', fanIn);
    }
  },
  /** {@code he_uniform}. */
  RELU_UNIFORM {
    @Override
    WeightInitScheme scheme(int fanIn, int fanOut) {
      return new ReluUniformInitScheme('c', fanIn);
    }
  },
  /** {@code lecun_uniform}. */
  LECUN_UNIFORM {
    @Override
    WeightInitScheme scheme(int fanIn, int fanOut) {
      return new LecunUniformInitScheme('c', fanIn);
    }
  },
  ZERO {
    @Override
    WeightInitScheme scheme(int fanIn, int fanOut) {
      return new ZeroInitScheme('c');
    }
  };

  abstract WeightInitScheme scheme(int fanIn, int fanOut);
}
