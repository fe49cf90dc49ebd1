package dev.exchangemaildaemon.ews;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * The GetItem parse path alone (issue 15), in memory, measured in the thread's own CPU time so that a busy machine
 * does not blur it: 21 answers as the bench's first sync gets them (20 of 100 messages of 10,000 bytes, one of a
 * 100 MiB message), read as GetItem reads them, either through the StAX parser's text ({@code chars}, the path
 * before issue 15 and the fallback now) or from the bytes ({@code bytes}). The first pass is the cold one a fresh
 * daemon makes. In the package of the classes it measures, which are package-private; it needs the daemon's JAXB
 * on the class path. Run from the root, after building both:
 *
 * <pre>
 * java -Xmx1500m -cp "bench/target/classes:target/classes:target/quarkus-app/lib/main/*" \
 *     dev.exchangemaildaemon.ews.ParseBench bytes 3
 * </pre>
 */
public final class ParseBench {

    private ParseBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean bytes = args[0].equals("bytes");
        int passes = Integer.parseInt(args[1]);
        Random random = new Random(1);
        List<byte[]> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(answer(random, 100, 10_000));
        }
        answers.add(answer(random, 1, 100 << 20));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        byte[] buffer = new byte[64 * 1024];
        for (int pass = 0; pass < passes; pass++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            long total = 0;
            for (byte[] answer : answers) {
                MimeContentSplitter splitter = new MimeContentSplitter(new ByteArrayInputStream(answer));
                XMLStreamReader xml = bytes ? splitter.follow(EwsXml.reader(splitter))
                        : EwsXml.reader(new ByteArrayInputStream(answer));
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("MimeContent")) {
                        InputStream taken = bytes ? splitter.take(xml) : null;
                        try (InputStream in = taken != null ? taken : new MimeContentStream(xml)) {
                            for (int n; (n = in.read(buffer)) >= 0;) {
                                total += n;
                            }
                        }
                        if (taken != null) {
                            xml.next();
                        }
                    }
                }
            }
            System.out.printf("%s pass %d: thread CPU %.2f s, wall %.2f s, %d bytes of MIME%n", args[0], pass,
                    (threads.getCurrentThreadCpuTime() - cpu) / 1e9, (System.nanoTime() - wall) / 1e9, total);
        }
    }

    private static byte[] answer(Random random, int messages, int size) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\""
                + "http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><m:GetItemResponse xmlns:m=\"m\" xmlns:t=\"t\">"
                + "<m:ResponseMessages>");
        byte[] mime = new byte[size];
        for (int i = 0; i < messages; i++) {
            random.nextBytes(mime);
            xml.append("<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
                    + "<m:Items><t:Message><t:MimeContent CharacterSet=\"UTF-8\">")
                    .append(Base64.getEncoder().encodeToString(mime))
                    .append("</t:MimeContent><t:ItemId Id=\"AAMkADk3ZjQ2ZGM0LTFmYzUtNGI3Yy1hMjI0LTI5YzVhYTQ4YzE2NQBGAAAA\""
                            + " ChangeKey=\"CQAAABYAAAA\"/></t:Message></m:Items></m:GetItemResponseMessage>");
        }
        return xml.append("</m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>").toString()
                .getBytes(StandardCharsets.UTF_8);
    }
}
