package dev.exchangemaildaemon.ews;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import dev.exchangemaildaemon.net.Base64Stream;

/**
 * An operation whose {@code t:MimeContent} is a file, encoded into the request as it goes out rather than held in
 * memory (a message may be 150 MB): the envelope is written with a placeholder where the base64 goes, then sent as
 * the bytes before it, the file encoded, and the bytes after it. Each attempt reads the file afresh.
 *
 * @param operation   the JAXB operation, its MimeContent holding {@code placeholder}
 * @param placeholder text that occurs nowhere else in the envelope
 */
record MimeUpload(Object operation, String placeholder, Path file, long size) {

    static String newPlaceholder() {
        return "MIME-CONTENT-" + UUID.randomUUID();
    }

    /** The request body: the envelope (written with the placeholder) with the file spliced in as base64. */
    HttpRequest.BodyPublisher body(byte[] envelope) {
        byte[] marker = placeholder.getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(envelope, marker);
        if (at < 0) {
            throw new IllegalStateException("the envelope lacks the MimeContent placeholder");
        }
        byte[] before = Arrays.copyOfRange(envelope, 0, at);
        byte[] after = Arrays.copyOfRange(envelope, at + marker.length, envelope.length);
        long length = before.length + Base64Stream.encodedLength(size) + after.length;
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> stream(before, after)), length);
    }

    private InputStream stream(byte[] before, byte[] after) {
        try {
            return new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(before),
                    new Base64Stream(Files.newInputStream(file)), new ByteArrayInputStream(after))));
        } catch (IOException e) {
            // the HTTP client fails the request with it: a transient failure, the message stays queued
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] data, byte[] marker) {
        outer:
        for (int i = 0; i <= data.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
