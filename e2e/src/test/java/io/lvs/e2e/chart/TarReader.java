package io.lvs.e2e.chart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar stream (ustar, with GNU and PAX long names): entry name → size, and the bytes of the
 * entries a caller asks for. Enough for docker-save tarballs and their layers; no dependency.
 */
final class TarReader {
  record Entry(String name, long size, char type, byte[] content) {}

  interface Wanted {
    boolean test(String name);
  }

  private TarReader() {}

  static Map<String, Entry> read(InputStream in, Wanted wanted) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    String longName = null;
    byte[] header = new byte[512];
    while (in.readNBytes(header, 0, 512) == 512) {
      if (isZero(header)) {
        break;
      }
      String name = longName != null ? longName : field(header, 345, 155).isEmpty()
          ? field(header, 0, 100) : field(header, 345, 155) + "/" + field(header, 0, 100);
      longName = null;
      long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
      char type = (char) header[156];
      long padded = (size + 511) / 512 * 512;
      if (type == 'L' || type == 'x') {
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes(padded - size);
        String text = new String(data, StandardCharsets.UTF_8);
        if (type == 'L') {
          longName = text.replace("\0", "");
        } else {
          for (String rec : text.split("\n")) {
            int eq = rec.indexOf(" path=");
            if (eq >= 0) {
              longName = rec.substring(eq + 6);
            }
          }
        }
        continue;
      }
      byte[] content = null;
      if (wanted.test(name)) {
        content = in.readNBytes((int) size);
        in.skipNBytes(padded - size);
      } else {
        in.skipNBytes(padded);
      }
      entries.put(name.startsWith("./") ? name.substring(2) : name, new Entry(name, size, type, content));
    }
    return entries;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.US_ASCII);
  }
}
