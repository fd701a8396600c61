package org.byov.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One progress bar per run. On a terminal the bars are redrawn in place; otherwise a run's line is
 * printed again only when its state or epoch changes, so logs stay short.
 */
final class ProgressBoard {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean redraw;
  private final Map<String, String> lines = new LinkedHashMap<>();
  private int drawnLines;

  ProgressBoard(PrintStream out, boolean redraw) {
    this.out = out;
    this.redraw = redraw;
  }

  /** Records a run's progress and prints what changed. */
  void update(String label, String status, int epoch, int epochs) {
    String line = render(label, status, epoch, epochs);
    String previous = lines.put(label, line);
    if (!redraw) {
      if (!line.equals(previous)) {
        out.println(line);
      }
      return;
    }
    if (drawnLines > 0) {
      out.print("\033[" + drawnLines + "A");
    }
    List<String> all = new ArrayList<>(lines.values());
    for (String each : all) {
      out.print("\r\033[2K" + each + "\n");
    }
    drawnLines = all.size();
    out.flush();
  }

  static String render(String label, String status, int epoch, int epochs) {
    int filled = epochs <= 0 ? 0 : Math.min(WIDTH, Math.round((float) WIDTH * epoch / epochs));
    if ("EVALUATING".equals(status) || "SUCCEEDED".equals(status)) {
      filled = WIDTH;
    }
    return String.format("%-24s [%s%s] epoch %d/%d  %s", label, "#".repeat(filled),
        "-".repeat(WIDTH - filled), epoch, epochs, status);
  }
}
