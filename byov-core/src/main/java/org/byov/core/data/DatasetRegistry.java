package org.byov.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Finds datasets by name under a data root, or by path, and reads a split of them.
 *
 * <p>Names and their directories under the root:
 *
 * <ul>
 *   <li>{@code fashion-mnist}: IDX files {@code train-*} and {@code t10k-*}, with the ten
 *       Fashion-MNIST class names;
 *   <li>{@code mnist}: the MNIST digits as IDX; the installer writes only the test split
 *       ({@code t10k-*}), 10,000 images;
 *   <li>{@code cifar10}: the CIFAR-10 binary batches, directly in {@code cifar10/} or in
 *       {@code cifar10/cifar-10-batches-bin/}.
 * </ul>
 *
 * <p>Any other argument is a directory path. A directory with {@code *-images-idx3-ubyte[.gz]}
 * files is an IDX dataset (training prefix {@code train}, test prefix {@code t10k} or
 * {@code test}, classes named by their label digits); one with {@code data_batch_1.bin} or
 * {@code test_batch.bin} is CIFAR-10; anything else is an image folder. An image folder with
 * {@code train/} or {@code test/} sub-folders has one split in each. Without them the folder
 * is the whole dataset and is returned for either split.
 */
public final class DatasetRegistry {

  /** The environment variable that sets the data root. */
  public static final String DATA_ROOT_ENV = "BYOV_DATA_ROOT";

  /** The class names of Fashion-MNIST in label order. */
  public static final List<String> FASHION_MNIST_CLASSES =
      List.of(
          "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
          "Bag", "Ankle boot");

  /** The class names of the MNIST digits in label order: "0" to "9". */
  public static final List<String> MNIST_CLASSES =
      IntStream.range(0, 10).mapToObj(Integer::toString).toList();

  private static final String INSTALL_HINT =
      "Install it with ./byov datasets or scripts/install-datasets.sh";

  private enum Format {
    IDX,
    CIFAR,
    IMAGE_FOLDER
  }

  /**
   * A dataset known by name.
   *
   * @param installHint the fix when the dataset's directory is missing
   * @param splitHint the fix when the directory exists but a split's files are missing
   */
  private record Known(
      String name, Format format, List<String> classNames, String installHint, String splitHint) {}

  private static final String CIFAR_HINT =
      "Download the CIFAR-10 binary version (cifar-10-binary.tar.gz) and unpack it there";

  private static final List<Known> KNOWN =
      List.of(
          new Known("fashion-mnist", Format.IDX, FASHION_MNIST_CLASSES, INSTALL_HINT, INSTALL_HINT),
          new Known(
              "mnist", Format.IDX, MNIST_CLASSES, INSTALL_HINT,
              "The MNIST digits that scripts/install-datasets.sh writes are a test split only"
                  + " (t10k-*). Use the test split, or add train-images-idx3-ubyte.gz and"
                  + " train-labels-idx1-ubyte.gz there"),
          new Known("cifar10", Format.CIFAR, null, CIFAR_HINT, CIFAR_HINT));

  private final Path root;

  /** Creates a registry over {@code root}, the directory that contains one folder per dataset. */
  public DatasetRegistry(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Creates a registry over {@link #defaultRoot()}. */
  public static DatasetRegistry fromEnvironment() {
    return new DatasetRegistry(defaultRoot());
  }

  /** Returns {@code $BYOV_DATA_ROOT} when set and not blank, else {@code ~/.byov/datasets}. */
  public static Path defaultRoot() {
    String configured = System.getenv(DATA_ROOT_ENV);
    if (configured != null && !configured.isBlank()) {
      return expandHome(configured.strip());
    }
    return Path.of(System.getProperty("user.home"), ".byov", "datasets");
  }

  /** Returns the data root. */
  public Path root() {
    return root;
  }

  /** Returns the dataset names this registry resolves under its root. */
  public static List<String> knownNames() {
    return KNOWN.stream().map(Known::name).toList();
  }

  /**
   * Reads one split of a dataset given by name ({@code fashion-mnist}, {@code mnist},
   * {@code cifar10}) or by directory path.
   *
   * @throws DatasetNotFoundException when the dataset or the split is not installed; the message
   *     names the path searched and how to install it
   * @throws InvalidDatasetException when a file of the dataset is malformed
   */
  public ImageSet load(String nameOrPath, DatasetSplit split) throws IOException {
    String key = nameOrPath.strip();
    for (Known known : KNOWN) {
      if (known.name().equals(key.toLowerCase(Locale.ROOT))) {
        return loadKnown(known, split);
      }
    }
    return loadPath(key, split);
  }

  private ImageSet loadKnown(Known known, DatasetSplit split) throws IOException {
    Path directory = root.resolve(known.name());
    if (!Files.isDirectory(directory)) {
      throw new DatasetNotFoundException(
          "Dataset " + known.name() + " not found: " + directory + " does not exist (data root "
              + root + ", set by " + DATA_ROOT_ENV + ", default ~/.byov/datasets). "
              + known.installHint());
    }
    String setName = known.name() + "/" + split.id();
    if (known.format() == Format.CIFAR) {
      return CifarReader.read(setName, cifarDirectory(directory), split);
    }
    return loadIdx(setName, directory, split, known.classNames(), known.splitHint());
  }

  private ImageSet loadPath(String argument, DatasetSplit split) throws IOException {
    Path directory = expandHome(argument).toAbsolutePath().normalize();
    if (!Files.isDirectory(directory)) {
      boolean looksLikePath = argument.contains("/") || argument.startsWith(".")
          || argument.startsWith("~") || Files.exists(directory);
      if (!looksLikePath) {
        throw new DatasetNotFoundException(
            "Unknown dataset '" + argument + "': expected one of " + String.join(", ", knownNames())
                + " (under " + root + ") or the path of a directory of IDX files, CIFAR-10 binary"
                + " batches or an image folder");
      }
      String problem = Files.exists(directory) ? " is not a directory" : " not found";
      throw new DatasetNotFoundException(
          "Dataset directory " + directory + problem + ". Expected a directory of IDX files,"
              + " CIFAR-10 binary batches or an image folder");
    }

    String setName = directory.getFileName() + "/" + split.id();
    return switch (detectFormat(directory)) {
      case IDX -> loadIdx(setName, directory, split, null, "Add the missing files");
      case CIFAR -> CifarReader.read(setName, cifarDirectory(directory), split);
      case IMAGE_FOLDER -> ImageFolderReader.read(setName, imageFolderSplit(directory, split));
    };
  }

  private static Format detectFormat(Path directory) throws IOException {
    List<String> names = fileNames(directory);
    if (names.stream().anyMatch(name -> name.matches("[^/]*-images-idx3-ubyte(\\.gz)?"))) {
      return Format.IDX;
    }
    Path cifar = cifarDirectory(directory);
    if (Files.isRegularFile(cifar.resolve("data_batch_1.bin"))
        || Files.isRegularFile(cifar.resolve("test_batch.bin"))) {
      return Format.CIFAR;
    }
    return Format.IMAGE_FOLDER;
  }

  private static Path cifarDirectory(Path directory) {
    Path nested = directory.resolve("cifar-10-batches-bin");
    return Files.isDirectory(nested) ? nested : directory;
  }

  private static Path imageFolderSplit(Path directory, DatasetSplit split)
      throws DatasetNotFoundException {
    Path train = directory.resolve(DatasetSplit.TRAIN.id());
    Path test = directory.resolve(DatasetSplit.TEST.id());
    if (!Files.isDirectory(train) && !Files.isDirectory(test)) {
      return directory;
    }
    Path wanted = directory.resolve(split.id());
    if (!Files.isDirectory(wanted)) {
      throw new DatasetNotFoundException(
          "Image folder " + directory + " has no " + split.id() + " split: " + wanted
              + " does not exist. Add it, or use a folder without train/ and test/ sub-folders");
    }
    return wanted;
  }

  private ImageSet loadIdx(
      String setName, Path directory, DatasetSplit split, List<String> classNames, String hint)
      throws IOException {
    List<String> prefixes = split == DatasetSplit.TRAIN ? List.of("train") : List.of("t10k", "test");
    for (String prefix : prefixes) {
      Path images = findIdxFile(directory, prefix + "-images-idx3-ubyte");
      if (images == null) {
        continue;
      }
      Path labels = findIdxFile(directory, prefix + "-labels-idx1-ubyte");
      if (labels == null) {
        throw new DatasetNotFoundException(
            "IDX labels file " + directory.resolve(prefix + "-labels-idx1-ubyte[.gz]")
                + " not found, but " + images + " exists. Each images file needs its labels file."
                + " " + hint);
      }
      return IdxReader.read(setName, images, labels, classNames);
    }

    throw new DatasetNotFoundException(
        "Dataset " + setName + " not found: no "
            + String.join(" or ", prefixes.stream().map(p -> p + "-images-idx3-ubyte[.gz]").toList())
            + " in " + directory + " (files there: " + String.join(", ", fileNames(directory))
            + "). " + hint);
  }

  /** Returns the gzip file when present, else the raw one, else {@code null}. */
  private static Path findIdxFile(Path directory, String baseName) {
    Path gzip = directory.resolve(baseName + ".gz");
    if (Files.isRegularFile(gzip)) {
      return gzip;
    }
    Path raw = directory.resolve(baseName);
    return Files.isRegularFile(raw) ? raw : null;
  }

  private static List<String> fileNames(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return new ArrayList<>(entries.map(path -> path.getFileName().toString()).sorted().toList());
    }
  }

  private static Path expandHome(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + path.substring(1));
    }
    return Path.of(path);
  }
}
