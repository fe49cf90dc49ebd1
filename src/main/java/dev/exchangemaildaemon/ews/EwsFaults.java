package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TransportFailures;
import jakarta.xml.bind.JAXBException;

/**
 * Tells an EWS answer that carries the operation's response from one that reports a failure: an HTTP status other
 * than 200, a SOAP fault (in an HTTP 500, as Exchange sends them, or in a 200), or a body that cannot be read.
 */
final class EwsFaults {

    private EwsFaults() {
    }

    /** Hands the answer's response element to the reader, unless the answer is a failure, which is thrown. */
    static <T> T read(HttpResponse<InputStream> response, InputStream body, ResponseReader<T> reader)
            throws XMLStreamException, JAXBException, IOException, MailboxException {
        int status = response.statusCode();
        if (status == 500) {
            throw fault(response, body);
        }
        if (status != 200) {
            throw httpError(response);
        }
        XMLStreamReader xml = EwsXml.reader(reader.parsed(body));
        EwsXml.enterBody(xml);
        if (EwsXml.isSoapFault(xml)) {
            throw SoapFault.read(xml);
        }
        return reader.read(xml);
    }

    /** A body that could not be read: a connection lost if an IOException lies under it, else a garbled answer. */
    static MailboxException unreadable(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return TransportFailures.connection(SentRequest.SERVER, e);
            }
        }
        return TransportFailures.badResponse(String.valueOf(e.getMessage()), e);
    }

    /** Exchange reports faults (unknown mailbox, impersonation refused, throttling) as HTTP 500 with a SOAP body. */
    private static MailboxException fault(HttpResponse<InputStream> response, InputStream body) throws IOException {
        try {
            XMLStreamReader xml = EwsXml.reader(body);
            EwsXml.enterBody(xml);
            if (EwsXml.isSoapFault(xml)) {
                return SoapFault.read(xml);
            }
        } catch (XMLStreamException notSoap) {
            // an HTML error page from a proxy, say: the status is all there is
        }
        return httpError(response);
    }

    private static MailboxException httpError(HttpResponse<InputStream> response) {
        return EwsErrors.http(response.statusCode(), response.headers().firstValue("x-ms-diagnostics"),
                response.headers().firstValue("Retry-After"));
    }
}
