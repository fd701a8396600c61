import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Loads DJL's PyTorch engine once while an image is built, so that its native libraries are
 * unpacked (CPU) or downloaded (GPU flavour) into DJL_CACHE_DIR and ENGINE_CACHE_DIR. Containers
 * then find them there and need neither the network nor a writable root filesystem.
 */
public final class DjlWarmUp {

  private DjlWarmUp() {}

  public static void main(String[] args) {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = NDManager.newBaseManager()) {
      // 1 + 2 + 3 = 6: a real operation, so the whole native library is loaded, not just found.
      NDArray sum = manager.create(new float[] {1f, 2f, 3f}).sum();
      float value = sum.getFloat();
      if (value != 6f) {
        throw new IllegalStateException("PyTorch returned " + value + " for 1 + 2 + 3");
      }
    }
    System.out.println(
        "DJL " + engine.getEngineName() + " " + engine.getVersion() + " natives ready in "
            + System.getenv("ENGINE_CACHE_DIR"));
  }
}
