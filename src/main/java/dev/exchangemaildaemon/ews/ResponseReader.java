package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.exchangemaildaemon.mailbox.MailboxException;
import jakarta.xml.bind.JAXBException;

/** Reads an operation's response element, the reader positioned at its start. */
@FunctionalInterface
interface ResponseReader<T> {

    T read(XMLStreamReader xml) throws XMLStreamException, JAXBException, IOException, MailboxException;

    /** The bytes the parser reads, from the response body: the body itself unless a reader takes some aside. */
    default InputStream parsed(InputStream body) {
        return body;
    }
}
