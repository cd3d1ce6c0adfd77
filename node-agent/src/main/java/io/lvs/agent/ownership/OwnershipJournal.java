package io.lvs.agent.ownership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * An append-only file of records, one line each: the CRC-32 of the record in hex, a space, the
 * record (UTF-8 text without newlines). An append is durable when it returns (fsync). A crash in
 * the middle of an append leaves a torn last line: reading stops there, and the next append first
 * cuts it off. A bad line with good lines after it is not a torn write, it is damage: read fails.
 */
final class OwnershipJournal {
  private final Path file;
  /** Bytes of whole, checked records at the head of the file; what an append continues from. */
  private long validLength = -1;

  OwnershipJournal(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The records in order; an absent file has none. */
  List<String> read() {
    if (!Files.exists(file)) {
      validLength = 0;
      return List.of();
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
    }
    List<String> records = new ArrayList<>();
    int pos = 0;
    while (pos < bytes.length) {
      int nl = indexOf(bytes, (byte) '\n', pos);
      String record = nl < 0 ? null : check(bytes, pos, nl);
      if (record == null) {
        if (nl >= 0 && nl + 1 < bytes.length) {
          throw new IllegalStateException("damaged record at byte " + pos + " of " + file + " with records after it");
        }
        break; // torn last line: the append that wrote it never returned
      }
      records.add(record);
      pos = nl + 1;
    }
    validLength = pos;
    return records;
  }

  /** Appends one record and fsyncs it. */
  void append(String record) {
    if (record.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("record with a newline");
    }
    if (validLength < 0) {
      read();
    }
    byte[] body = record.getBytes(StandardCharsets.UTF_8);
    byte[] line = (crc(body, 0, body.length) + " " + record + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.truncate(validLength); // a torn tail from a crash goes before anything follows it
      ByteBuffer buf = ByteBuffer.wrap(line);
      long at = validLength;
      while (buf.hasRemaining()) {
        at += ch.write(buf, at);
      }
      ch.force(false);
      validLength = at;
    } catch (IOException e) {
      throw new UncheckedIOException("append to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Bytes held; 0 when absent. */
  long size() {
    if (validLength < 0) {
      read();
    }
    return validLength;
  }

  /** Removes every record (after a snapshot took them in). */
  void clear() {
    try {
      Files.deleteIfExists(file);
      validLength = 0;
    } catch (IOException e) {
      throw new UncheckedIOException("delete " + file + ": " + e.getMessage(), e);
    }
  }

  /** The record of a line [from, nl) if its checksum matches, else null. */
  private static String check(byte[] b, int from, int nl) {
    int space = from + 8;
    if (nl <= space || b[space] != ' ') {
      return null;
    }
    String want = new String(b, from, 8, StandardCharsets.US_ASCII);
    return want.equals(crc(b, space + 1, nl - space - 1)) ? new String(b, space + 1, nl - space - 1, StandardCharsets.UTF_8) : null;
  }

  private static String crc(byte[] b, int off, int len) {
    CRC32 c = new CRC32();
    c.update(b, off, len);
    return HexFormat.of().toHexDigits((int) c.getValue());
  }

  private static int indexOf(byte[] b, byte x, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
