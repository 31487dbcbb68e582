package io.github.callbacks4j.runtime;

import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, at INFO, when ND4J's native library was built for fewer CPU instructions than the
 * CPU has, as TensorFlow does: ND4J 1.0.0-M2.1 loads its generic x86-64 build without a word, and
 * its AVX2 build ran Adam's update about 1.8x faster on the machine this project builds on.
 */
final class NativeBuild {
  private static final Logger LOG = LoggerFactory.getLogger(NativeBuild.class);

  private static boolean checked;

  private NativeBuild() {}

  static synchronized void logHintOnce() {
    if (checked) {
      return;
    }
    checked = true;
    NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
    hint(nativeOps.binaryLevel(), nativeOps.optimalLevel(), Loader.getPlatform())
        .ifPresent(LOG::info);
  }

  /**
   * The hint for ND4J's levels (as its {@code NativeOps} numbers them: 2 AVX2, 3 AVX-512, below
   * that generic), or empty when the loaded build already matches the CPU.
   */
  static Optional<String> hint(int binaryLevel, int optimalLevel, String platform) {
    String classifier = switch (optimalLevel) {
      case 2 -> platform + "-avx2";
      case 3 -> platform + "-avx512";
      default -> null;
    };
    if (classifier == null || binaryLevel >= optimalLevel) {
      return Optional.empty();
    }
    return Optional.of("ND4J runs its " + name(binaryLevel) + " native build on a CPU with "
        + name(optimalLevel) + "; for faster element-wise ops (activations, losses, updaters) add"
        + " org.nd4j:nd4j-native with classifier " + classifier + ", same version as ND4J");
  }

  private static String name(int level) {
    return switch (level) {
      case 2 -> "AVX2";
      case 3 -> "AVX-512";
      default -> "generic x86-64";
    };
  }
}
